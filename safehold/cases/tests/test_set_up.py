"""A new installation starts casework (issue 14, defect 0): teams and a programme by command,
as docs/how-to/deploy.md says (the test runs the how-to's own commands on an empty database),
and by an administrator on the casework set-up pages."""

import io
import shlex
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.models import Agency, Team, User
from safehold.accounts.tests.factories import AgencyFactory, TeamFactory, UserFactory
from safehold.audit.choices import Action
from safehold.audit.models import AuditEvent
from safehold.cases.models import Programme
from safehold.cases.selectors import triage_queue
from safehold.cases.services import referrals

HOW_TO = Path(settings.BASE_DIR) / "docs" / "how-to" / "deploy.md"
PASSWORD = "a long and unusual passphrase"


def how_to_commands() -> list[list[str]]:
    """The `safehold accounts …` and `safehold cases …` commands of the how-to, in order."""
    text = HOW_TO.read_text().replace("\\\n", " ")
    commands = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith((".venv/bin/safehold accounts", ".venv/bin/safehold cases")):
            commands.append(shlex.split(line, comments=True)[1:])
    return commands


def run(*args, stdin: str = "", monkeypatch=None) -> str:
    out = io.StringIO()
    if monkeypatch is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    call_command(*args, stdout=out)
    return out.getvalue()


def test_following_the_deploy_how_to_from_an_empty_database_starts_casework(db, monkeypatch):
    assert not Programme.objects.exists() and not Agency.objects.exists()
    with pytest.raises(CommandError, match="safehold cases programme add"):
        run("cases", "export")
    commands = how_to_commands()
    assert [c[:3] for c in commands if c[1] != "user"] == [
        ["accounts", "agency", "add"],
        ["accounts", "team", "add"],
        ["accounts", "team", "add"],
        ["cases", "programme", "add"],
    ]
    for command in commands:
        if command[:3] == ["accounts", "user", "add"]:
            run(*command, "--password-stdin", stdin=PASSWORD + "\n", monkeypatch=monkeypatch)
        else:
            run(*command)
    programme = Programme.objects.get()
    homes = Agency.objects.get(name="Stockport Homes")
    assert (programme.name, programme.lead_agency, programme.reference_prefix) == (
        "Exploitation project",
        homes,
        "EXP",
    )
    assert (programme.triage_team.name, programme.asb_team.name) == (
        "Exploitation team",
        "ASB team",
    )
    epo = User.objects.get(email="epo@stockporthomes.example")
    assert list(epo.teams.all()) == [programme.triage_team]
    assert AuditEvent.objects.filter(action=Action.COLLECT, purpose="programme created").exists()
    assert AuditEvent.objects.filter(action=Action.COLLECT, purpose="team created").count() == 2
    # Casework can start: the export answers, and a referral reaches the triage queue.
    assert run("cases", "export").startswith("reference")
    referrer = UserFactory(agency=AgencyFactory(), role=Role.REFERRER)
    sent = referrals.send_referral(
        programme=referrals.default_programme(), by=referrer, subject_known=True,
        subject_given_name="Dana", subject_family_name="Cole",
    )  # fmt: skip
    assert list(triage_queue(epo)) == [sent]
    assert "Exploitation project  led by Stockport Homes" in run("cases", "programme", "list")
    assert "Exploitation team  Stockport Homes  1 member" in run("accounts", "team", "list")


def test_the_commands_refuse_what_cannot_be_set_up(db):
    homes = AgencyFactory(name="Homes for Testing")
    police = AgencyFactory(name="Testshire Police")
    TeamFactory(agency=police, name="Neighbourhood team")
    with pytest.raises(CommandError, match="There is no agency called Nowhere"):
        run("accounts", "team", "add", "Triage", "--agency", "Nowhere")
    run("accounts", "team", "add", "Triage", "--agency", "homes for testing")
    with pytest.raises(CommandError, match="already has a team called Triage"):
        run("accounts", "team", "add", "triage", "--agency", "Homes for Testing")
    with pytest.raises(CommandError, match="has no team called Neighbourhood team"):
        run(
            "cases", "programme", "add", "P", "--lead-agency", "Homes for Testing",
            "--triage-team", "Neighbourhood team",
        )  # fmt: skip
    with pytest.raises(CommandError, match="2 to 8 letters"):
        run(
            "cases", "programme", "add", "P", "--lead-agency", "Homes for Testing",
            "--triage-team", "Triage", "--reference-prefix", "E1",
        )  # fmt: skip
    assert not Programme.objects.exists()
    said = run(
        "cases", "programme", "add", "P", "--lead-agency", "Homes for Testing",
        "--triage-team", "Triage", "--reference-prefix", "cuc",
    )  # fmt: skip
    assert "cases are numbered CUC-YYYY-NNNN" in said
    assert Programme.objects.get().lead_agency == homes


@pytest.fixture
def admin(client, agency):
    user = UserFactory(agency=agency, role=Role.ADMINISTRATOR)
    client.force_login(user)
    return user


def test_an_administrator_adds_a_team_and_a_programme_on_the_set_up_pages(client, admin):
    assert "Casework set-up" in client.get(reverse("core:home")).content.decode()
    page = client.get(reverse("cases:set-up")).content.decode()
    assert "No teams yet" in page and "Add a team first" in page
    page = client.post(reverse("cases:set-up-add-team"), {"name": ""}).content.decode()
    assert "govuk-error-summary" in page and "Enter the team&#x27;s name" in page
    response = client.post(reverse("cases:set-up-add-team"), {"name": "Exploitation team"})
    assert response.url == reverse("cases:set-up")
    team = Team.objects.get(agency=admin.agency)
    page = client.post(
        reverse("cases:set-up-add-programme"),
        {"name": "Exploitation project", "triage_team": team.pk, "reference_prefix": "REF"},
    ).content.decode()
    assert "govuk-error-summary" in page and "not REF" in page
    assert 'value="Exploitation project"' in page  # what was typed is kept
    response = client.post(
        reverse("cases:set-up-add-programme"),
        {"name": "Exploitation project", "triage_team": team.pk, "reference_prefix": "exp"},
    )
    assert response.url == reverse("cases:set-up")
    programme = Programme.objects.get()
    assert (programme.lead_agency, programme.triage_team, programme.reference_prefix) == (
        admin.agency,
        team,
        "EXP",
    )
    assert AuditEvent.objects.filter(actor=admin, purpose="programme created").exists()
    page = client.get(reverse("cases:set-up")).content.decode()
    assert "Exploitation project" in page and "EXP-YYYY-NNNN" in page


def test_a_programme_takes_only_teams_of_the_administrators_agency(client, admin):
    theirs = TeamFactory(agency=AgencyFactory())
    response = client.post(
        reverse("cases:set-up-add-programme"),
        {"name": "P", "triage_team": theirs.pk, "reference_prefix": "EXP"},
    )
    assert response.status_code == 200 and not Programme.objects.exists()


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.SUPERVISOR, Role.IG_OFFICER, Role.ANALYST])
def test_only_administrators_set_up_casework(client, agency, role):
    client.force_login(UserFactory(agency=agency, role=role))
    for name in ("cases:set-up", "cases:set-up-add-team", "cases:set-up-add-programme"):
        assert client.get(reverse(name)).status_code in (403, 404)
    assert client.post(reverse("cases:set-up-add-team"), {"name": "X"}).status_code in (403, 404)
    assert not Team.objects.filter(name="X").exists()
    assert "Casework set-up" not in client.get(reverse("core:home")).content.decode()
