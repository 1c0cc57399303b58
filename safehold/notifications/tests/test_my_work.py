"""The home page is the user's work (issue 14, item 14): my open cases with their next
deadline, my tasks due and overdue (my team's for a supervisor), referrals waiting for my
triage, access requests waiting for my decision, what was shared with my agency this week and
enforcement deadlines in the next 14 days; each panel from the app that holds the data, through
its read gate, in a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, TeamFactory, UserFactory
from safehold.audit.models import AuditEvent
from safehold.cases.choices import EnforcementKind
from safehold.cases.models import EnforcementAction, Task
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory, ReferralFactory
from safehold.core import dates
from safehold.people.tests.factories import PersonFactory
from safehold.sharing.models import AccessRequest
from safehold.sharing.tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def housing():
    return AgencyFactory(name="Stockport Homes")


@pytest.fixture
def team(housing):
    return TeamFactory(agency=housing)


@pytest.fixture
def programme(housing, team):
    return ProgrammeFactory(lead_agency=housing, triage_team=team, asb_team=team)


@pytest.fixture
def worker(housing, team):
    user = UserFactory(agency=housing, role=Role.CASEWORKER)
    user.teams.add(team)
    return user


def _case(programme, lead, **fields):
    return CaseFactory(
        programme=programme,
        lead_officer=lead,
        subject=PersonFactory(owning_agency=programme.lead_agency, family_name="Hollowmere"),
        **fields,
    )


def _task(case, owner, due, title="Check the locks"):
    return Task.objects.create(
        case=case, title=title, owner=owner, owner_agency=case.owning_agency, due_on=due
    )


def _home(client, user):
    client.force_login(user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    return response


def test_my_open_cases_are_listed_with_their_next_deadline(client, programme, worker):
    today = dates.today()
    soon = _case(programme, worker, reference="EXP-2026-0001")
    _task(soon, worker, today + 5 * DAY)
    _task(soon, worker, today + 2 * DAY)
    late = _case(programme, worker, reference="EXP-2026-0002")
    _task(late, worker, today - 3 * DAY)
    _case(programme, UserFactory(agency=worker.agency), reference="EXP-2026-0003")
    response = _home(client, worker)
    mine = response.context["my_cases"]
    assert [c.reference for c in mine] == ["EXP-2026-0002", "EXP-2026-0001"]
    assert [c.next_deadline for c in mine] == [today - 3 * DAY, today + 2 * DAY]
    assert mine[0].deadline_overdue and not mine[1].deadline_overdue
    page = response.content.decode()
    assert "EXP-2026-0003" not in page and "Hollowmere" not in page
    assert AuditEvent.objects.filter(actor=worker, purpose="my work").exists()


def test_my_tasks_due_this_week_and_overdue_are_listed(client, programme, worker):
    today = dates.today()
    case = _case(programme, worker)
    _task(case, worker, today - DAY, "Overdue visit")
    _task(case, worker, today + 6 * DAY, "Visit this week")
    _task(case, worker, today + 30 * DAY, "Visit next month")
    response = _home(client, worker)
    assert [t.title for t in response.context["tasks"]] == ["Overdue visit", "Visit this week"]
    assert response.context["open_tasks"] == 3 and response.context["overdue_tasks"] == 1
    assert "1 overdue" in response.content.decode()


def test_a_supervisor_sees_the_teams_tasks_and_a_caseworker_does_not(
    client, programme, worker, team, housing
):
    supervisor = UserFactory(agency=housing, role=Role.SUPERVISOR)
    supervisor.teams.add(team)
    _task(_case(programme, worker), worker, dates.today(), "Teammate's visit")
    assert [t.title for t in _home(client, supervisor).context["team_tasks"]] == [
        "Teammate's visit"
    ]
    assert "team_tasks" not in _home(client, worker).context


def test_referrals_waiting_for_my_triage_are_listed_by_reference(client, programme, worker):
    referral = ReferralFactory(programme=programme, subject_family_name="Hollowmere")
    response = _home(client, worker)
    assert response.context["waiting"] == 1
    page = response.content.decode()
    assert f"Referral {referral.reference}" in page and "Hollowmere" not in page


def test_access_requests_waiting_for_my_decision_and_new_shares_to_my_agency(
    client, programme, worker, housing
):
    police = AgencyFactory(name="Greater Manchester Police")
    officer = UserFactory(agency=police, role=Role.CASEWORKER)
    agreement = AgreementFactory(parties=[housing, police])
    mine = _case(programme, worker, reference="EXP-2026-0007")
    AccessRequest.objects.create(
        requested_by=officer, requesting_agency=police, owning_agency=housing, case=mine,
        reason="Joint visit",
    )  # fmt: skip
    theirs = CaseFactory(programme=ProgrammeFactory(lead_agency=police), reference="GMP-2026-0001")
    theirs.disclosures.create(
        agreement=agreement, from_agency=police, to_agency=housing, level="full",
        purpose="Joint visit",
    )  # fmt: skip
    page = _home(client, worker).content.decode()
    assert "Case EXP-2026-0007, asked for by Greater Manchester Police" in page
    assert "Case GMP-2026-0001</a>, shared by Greater Manchester Police" in page
    # The police officer's own home: no request to decide, nothing shared with them.
    page = _home(client, officer).content.decode()
    assert "EXP-2026-0007" not in page


def test_a_share_by_name_only_or_a_week_old_is_not_shown_as_new_with_its_reference(
    client, programme, worker, housing
):
    police = AgencyFactory()
    agreement = AgreementFactory(parties=[housing, police])
    named = CaseFactory(programme=ProgrammeFactory(lead_agency=police), reference="GMP-2026-0002")
    named.disclosures.create(
        agreement=agreement, from_agency=police, to_agency=housing, level="name_only",
        purpose="Awareness",
    )  # fmt: skip
    old = CaseFactory(programme=ProgrammeFactory(lead_agency=police), reference="GMP-2026-0003")
    share = old.disclosures.create(
        agreement=agreement, from_agency=police, to_agency=housing, level="full", purpose="Old"
    )
    type(share).objects.filter(pk=share.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    response = _home(client, worker)
    page = response.content.decode()
    assert "GMP-2026-0002" not in page and "GMP-2026-0003" not in page
    assert len(response.context["new_shares"]) == 1  # the name-only one, without a reference


def test_enforcement_deadlines_in_the_next_14_days_are_listed(client, programme, worker):
    today = dates.today()
    case = _case(programme, worker, reference="EXP-2026-0009")
    EnforcementAction.objects.create(
        case=case, kind=EnforcementKind.CLOSURE_NOTICE, status="in_force",
        agency=case.owning_agency, started_on=today, served_at=timezone.now(),
    )  # fmt: skip
    EnforcementAction.objects.create(
        case=case, kind=EnforcementKind.CIVIL_INJUNCTION, status="in_force",
        agency=case.owning_agency, started_on=today - 30 * DAY, ends_on=today + 40 * DAY,
    )  # fmt: skip
    found = _home(client, worker).context["enforcement"]
    assert [(d.what, d.reference) for d in found] == [
        ("Court hearing due by (closure notice)", "Case EXP-2026-0009")
    ]


def _queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("core:home")).status_code == 200
    return len(captured)


def test_the_home_page_makes_the_same_number_of_queries_whatever_the_work(
    client, programme, worker, housing, team
):
    """Work of every kind, once and then five times over: the count does not grow."""
    supervisor = UserFactory(agency=housing, role=Role.SUPERVISOR)
    supervisor.teams.add(team)
    police = AgencyFactory()
    agreement = AgreementFactory(parties=[housing, police])
    officer = UserFactory(agency=police, role=Role.CASEWORKER)

    def add_work(n: int) -> None:
        today = dates.today()
        for i in range(n):
            case = _case(programme, supervisor)
            _task(case, supervisor, today + i * DAY)
            _task(case, worker, today - DAY)
            EnforcementAction.objects.create(
                case=case, kind=EnforcementKind.CLOSURE_NOTICE, status="in_force",
                agency=housing, started_on=today, served_at=timezone.now(),
            )  # fmt: skip
            ReferralFactory(programme=programme)
            AccessRequest.objects.create(
                requested_by=officer, requesting_agency=police, owning_agency=housing,
                case=case, reason="Joint visit",
            )  # fmt: skip
            CaseFactory(programme=ProgrammeFactory(lead_agency=police)).disclosures.create(
                agreement=agreement, from_agency=police, to_agency=housing, level="full",
                purpose="Joint visit",
            )  # fmt: skip

    add_work(1)
    once = _queries(client, supervisor)
    add_work(5)
    assert _queries(client, supervisor) == once
    # Session, user, each panel's few reads, the header's count, one audit append: 31 today on
    # SQLite, 35 on PostgreSQL (row-level security sets and resets the connection's role). An
    # event recorded inside the view's batch opens no savepoint (it was three empty pairs).
    assert once <= 40


def test_a_referrer_is_told_nothing_needs_them_here(client, housing):
    page = _home(client, UserFactory(agency=housing, role=Role.REFERRER)).content.decode()
    assert "Nothing needs you today" in page and "Your open cases" not in page
