"""The deadlines calendar (issue 14, item 16): a month of the deadlines the user may see, and
the same as an iCalendar feed at a secret, revocable address, carrying a reference and a link
only."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.audit.models import AuditEvent
from safehold.cases.choices import EnforcementKind
from safehold.cases.models import EnforcementAction, Task
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory
from safehold.core import dates
from safehold.notifications import ics
from safehold.notifications.deadlines import Deadline
from safehold.people.tests.factories import LocationFactory, PersonFactory
from safehold.sharing.tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db

GIVEN, FAMILY, STREET = "Ottoline", "Brackenbury", "3 Foxglove Row"


@pytest.fixture
def housing():
    return AgencyFactory()


@pytest.fixture
def worker(housing):
    return UserFactory(agency=housing, role=Role.CASEWORKER)


@pytest.fixture
def case(housing, worker):
    return CaseFactory(
        programme=ProgrammeFactory(lead_agency=housing),
        subject=PersonFactory(owning_agency=housing, given_name=GIVEN, family_name=FAMILY),
        location=LocationFactory(owning_agency=housing, address_line_1=STREET),
        lead_officer=worker,
    )


def _task(case, owner, due, title=f"Visit {GIVEN} at {STREET}"):
    return Task.objects.create(
        case=case, title=title, owner=owner, owner_agency=case.owning_agency, due_on=due
    )


def _feed(client, token):
    return client.get(reverse("cases:calendar-feed"), {"token": token})


def _make_address(client) -> str:
    response = client.post(reverse("cases:calendar-feed-address"), {"action": "make"})
    assert response.status_code == 200
    address = response.context["address"]
    return address.split("token=")[1]


# The iCalendar text itself (RFC 5545).


def test_text_is_escaped_as_rfc_5545_says():
    assert ics.escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_long_lines_are_folded_at_75_octets_without_splitting_a_character():
    line = "SUMMARY:" + "é" * 60  # two octets each
    folded = ics.fold(line).split("\r\n")
    assert all(len(part.encode()) <= 75 for part in folded)
    assert all(part.startswith(" ") for part in folded[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(folded)) == line


def test_a_calendar_has_one_all_day_event_per_deadline_with_crlf_lines():
    day = datetime.date(2026, 12, 7)
    text = ics.calendar(
        [Deadline(day, "Task due", "Case EXP-1", "/cases/x/", "task-1", True)],
        base_url="https://safehold.example",
        host="safehold.example",
        now=timezone.now(),
    )
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert "DTSTART;VALUE=DATE:20261207\r\n" in text and "DTEND;VALUE=DATE:20261208\r\n" in text
    assert "SUMMARY:Task due: Case EXP-1\r\n" in text
    assert "URL:https://safehold.example/cases/x/\r\n" in text
    assert "UID:task-1-20261207@safehold.example\r\n" in text


# The month page.


def test_the_month_shows_tasks_due_and_enforcement_deadlines_of_cases_the_user_may_see(
    client, case, worker
):
    today = dates.today()
    _task(case, worker, today)
    EnforcementAction.objects.create(
        case=case, kind=EnforcementKind.CLOSURE_NOTICE, status="in_force",
        agency=case.owning_agency, started_on=today,
        served_at=timezone.now().replace(hour=9),
    )  # fmt: skip
    client.force_login(worker)
    response = client.get(reverse("cases:calendar"), {"month": f"{today:%Y-%m}"})
    page = response.content.decode()
    assert "Task due" in page and f"Case {case.reference}" in page
    assert "Court hearing due by" in page
    assert GIVEN not in page and STREET not in page
    assert AuditEvent.objects.filter(
        actor=worker, purpose="deadlines calendar", object_type="cases.case"
    ).exists()


def test_another_agency_sees_nothing_of_the_cases_deadlines_until_the_case_is_shared(
    client, case, worker, housing
):
    _task(case, worker, dates.today())
    police = AgencyFactory()
    stranger = UserFactory(agency=police, role=Role.CASEWORKER)
    client.force_login(stranger)
    assert case.reference not in client.get(reverse("cases:calendar")).content.decode()
    case.disclosures.create(
        agreement=AgreementFactory(parties=[housing, police]), from_agency=housing,
        to_agency=police, level="full", purpose="Joint visit",
    )  # fmt: skip
    assert case.reference in client.get(reverse("cases:calendar")).content.decode()


def test_a_month_asked_for_badly_shows_this_month(client, worker):
    client.force_login(worker)
    response = client.get(reverse("cases:calendar"), {"month": "soon"})
    assert response.status_code == 200
    assert response.context["first"] == dates.today().replace(day=1)


# The feed.


def test_the_feed_opens_with_its_secret_alone_and_carries_no_personal_data(client, case, worker):
    _task(case, worker, dates.today() + datetime.timedelta(days=3))
    client.force_login(worker)
    token = _make_address(client)
    client.logout()
    response = _feed(client, token)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert f"SUMMARY:Task due: Case {case.reference}" in body
    for personal in (GIVEN, FAMILY, STREET, "Visit"):
        assert personal not in body
    assert AuditEvent.objects.filter(
        actor=worker, purpose="deadlines calendar feed", channel="export"
    ).exists()


def test_a_wrong_stopped_or_replaced_secret_opens_nothing(client, case, worker):
    client.force_login(worker)
    first = _make_address(client)
    second = _make_address(client)
    client.logout()
    assert _feed(client, "not-the-secret").status_code == 404
    assert _feed(client, first).status_code == 404  # replaced
    assert _feed(client, second).status_code == 200
    client.force_login(worker)
    client.post(reverse("cases:calendar-feed-address"), {"action": "stop"})
    client.logout()
    assert _feed(client, second).status_code == 404


def test_a_disabled_users_feed_opens_nothing(client, worker):
    client.force_login(worker)
    token = _make_address(client)
    worker.is_active = False
    worker.save()
    client.logout()
    assert _feed(client, token).status_code == 404


def test_without_a_secret_a_visitor_is_sent_to_sign_in_and_a_user_gets_their_own(
    client, case, worker
):
    _task(case, worker, dates.today())
    response = client.get(reverse("cases:calendar-feed"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:sign-in"))
    client.force_login(worker)
    assert case.reference in client.get(reverse("cases:calendar-feed")).content.decode()


def test_the_address_is_shown_once_and_only_its_hash_is_kept(client, worker):
    client.force_login(worker)
    token = _make_address(client)
    assert token not in worker.calendar_feed.token_hash
    page = client.get(reverse("cases:calendar-feed-address")).content.decode()
    assert token not in page and "You have a calendar address" in page
