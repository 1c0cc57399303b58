"""The meeting pack holds only what the agency may see (with its positive control), and the
command line and the API give the same agenda through the same gates."""

import datetime
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from safehold.audit.choices import Action as AuditAction
from safehold.audit.models import AuditEvent
from safehold.core.tests.readable import pdf_text, text_of
from safehold.meetings import services
from safehold.meetings.tests.conftest import HELD_ON

pytestmark = pytest.mark.django_db

HIDDEN = ("Hiddenly", "LAN-2023-0002", "Empty the meter cupboard")


@pytest.fixture
def discussed(world):
    """The landlord flags one case; each case has minutes or an action in the landlord's
    pack; the unflagged case is never shared with the police."""
    item = services.flag_case(
        meeting=world.meeting, case=world.flagged_case, level="full", by=world.housing
    )
    services.record_minute(item=item, text="The tenant is safe for now", by=world.chair)
    services.add_action(
        meeting=world.meeting, item=item, description="Change the locks",
        due_on=HELD_ON + datetime.timedelta(days=7), owning_agency=world.landlord, by=world.chair,
    )  # fmt: skip
    # An action on the unflagged case, agreed by the landlord's own people (the chair's agency
    # cannot see the case, so the row is made as the landlord would see it).
    from safehold.meetings.models import Action

    Action.objects.create(
        meeting=world.meeting, case=world.unshared_case, description=HIDDEN[2],
        owning_agency=world.landlord, due_on=HELD_ON,
    )  # fmt: skip
    return world


def _pack(client, user, meeting):
    client.force_login(user)
    response = client.get(reverse("meetings:pack", args=[meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return text_of(response)


def test_a_police_users_pack_holds_nothing_the_landlord_did_not_disclose(client, discussed):
    police = _pack(client, discussed.officer, discussed.meeting)
    landlord = _pack(client, discussed.housing, discussed.meeting)
    # The positive control: the landlord's own pack holds its unshared case.
    assert all(marker in landlord for marker in HIDDEN)
    assert not any(marker in police for marker in HIDDEN)
    # What the landlord did share is in both.
    for text in (police, landlord):
        assert "Flagwell" in text and "LAN-2023-0001" in text and "Change the locks" in text
        assert "The tenant is safe for now" in text
    assert "For Police" in police and "For Landlord" in landlord


def test_printing_the_pack_is_an_audited_export_naming_the_cases_shown(client, discussed):
    _pack(client, discussed.officer, discussed.meeting)
    event = AuditEvent.objects.filter(action=AuditAction.CONSULT, channel="export").latest("id")
    assert str(discussed.flagged_case.pk) in event.object_ids
    assert str(discussed.unshared_case.pk) not in event.object_ids
    assert "Flagwell" not in event.purpose


def test_a_user_of_an_agency_not_at_the_meeting_gets_404_for_the_pack(client, discussed):
    from safehold.accounts.tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(reverse("meetings:pack", args=[discussed.meeting.pk])).status_code == 404


def test_the_command_line_gives_the_agenda_as_json_by_series_name_and_date(discussed, capsys):
    call_command(
        "meetings", "agenda", "Wigan organised crime partnership meeting 2023-06-06",
        "--user", discussed.officer.email, "--format", "json",
    )  # fmt: skip
    agenda = json.loads(capsys.readouterr().out)
    assert agenda["for_agency"] == "Police" and agenda["held_on"] == "2023-06-06"
    sections = {s["name"]: s for s in agenda["sections"]}
    assert [line["reference"] for line in sections["flagged"]["lines"]] == ["Case LAN-2023-0001"]
    assert "LAN-2023-0002" not in json.dumps(agenda)
    call_command(
        "meetings", "agenda", str(discussed.meeting.pk), "--user", discussed.housing.email
    )  # by id
    assert "LAN-2023-0002" in capsys.readouterr().out


def test_the_command_line_writes_the_pack_as_pdf(discussed, tmp_path):
    out = tmp_path / "pack.pdf"
    call_command(
        "meetings", "agenda", str(discussed.meeting.pk), "--user", discussed.officer.email,
        "--format", "pdf", "--output", str(out),
    )  # fmt: skip
    text = pdf_text(out.read_bytes())
    assert "Flagwell" in text and "Hiddenly" not in text
    assert AuditEvent.objects.filter(channel="cli", purpose="meeting agenda (pdf)").exists()


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("No such meeting 2023-06-06", "has no meeting"),
        ("not a meeting", "neither a meeting's id"),
        ("Wigan organised crime partnership meeting 2023-02-30", "is not a date"),
    ],
)
def test_the_command_line_refuses_a_meeting_it_cannot_find_clearly(discussed, given, message):
    with pytest.raises(CommandError, match=message):
        call_command("meetings", "agenda", given, "--user", discussed.officer.email)


def test_the_command_line_needs_a_user(discussed):
    with pytest.raises(CommandError, match="--user"):
        call_command("meetings", "agenda", str(discussed.meeting.pk))


def test_the_api_gives_the_same_agenda_through_the_callers_gates(client, discussed):
    url = reverse("api:meeting-agenda", args=[discussed.meeting.pk])
    client.force_login(discussed.officer)
    police = client.get(url).json()
    client.force_login(discussed.housing)
    landlord = client.get(url).json()
    assert "LAN-2023-0002" not in json.dumps(police) and "LAN-2023-0002" in json.dumps(landlord)
    assert AuditEvent.objects.filter(channel="api", purpose="meeting agenda").count() == 2
    client.force_login(discussed.officer)
    mine = client.get(reverse("api:meeting-my-actions")).json()["results"]
    assert mine == []  # the landlord's actions are not the police's


def test_minutes_of_a_case_circulate_only_to_those_who_may_see_the_case(client, world):
    item = services.flag_case(
        meeting=world.meeting, case=world.flagged_case, level="name_only", by=world.housing
    )
    general = services.add_item(meeting=world.meeting, title="Hot spots this month", by=world.chair)
    services.record_minute(item=general, text="Patrols moved to the precinct", by=world.chair)
    from safehold.meetings.models import Minute

    Minute.objects.create(item=item, case=world.flagged_case, text="Keys cut for the dealers",
                          recorded_by=world.housing)  # fmt: skip
    client.force_login(world.officer)
    police = client.get(reverse("meetings:minutes", args=[world.meeting.pk])).content.decode()
    client.force_login(world.housing)
    landlord = client.get(reverse("meetings:minutes", args=[world.meeting.pk])).content.decode()
    assert "Patrols moved to the precinct" in police and "Patrols moved to the precinct" in landlord
    assert "Keys cut for the dealers" in landlord and "Keys cut for the dealers" not in police


def test_the_command_line_sets_up_a_series_chaired_by_the_users_agency(world, capsys):
    from safehold.meetings.models import MeetingSeries

    call_command(
        "meetings", "series", "add", "Tameside exploitation panel",
        "--agreement", world.series.agreement.title, "--user", world.officer.email,
    )  # fmt: skip
    series = MeetingSeries.objects.get(name="Tameside exploitation panel")
    assert series.owning_agency == world.police and "Set up" in capsys.readouterr().out
    with pytest.raises(CommandError, match="not a party"):
        call_command(
            "meetings", "series", "add", "Another", "--agreement", "No such agreement",
            "--user", world.officer.email,
        )  # fmt: skip
