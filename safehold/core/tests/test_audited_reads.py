"""Every read audited, checked mechanically (DPA 2018 s.62), over every URL the registries know.

Every person, place and referral in the database is given distinctive values. Then, for every
page, export and API read, as the owning agency's users: whenever a response shows one of those
values, an audit event written by that request must name the record it came from (a person by
its id; a place by its id or a case at it; a referral by its id or its case). And no event may
hold any of the values themselves (ADR 0025: audit events hold ids and field names, never
personal values).
"""

import datetime

import pytest
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.models import Team
from safehold.accounts.tests.factories import UserFactory
from safehold.audit.models import AuditEvent
from safehold.cases.choices import ReferralStatus
from safehold.cases.models import Case, Referral, Task
from safehold.cases.tests.factories import ReferralFactory
from safehold.core.tests.readable import text_of
from safehold.core.tests.test_access import (
    API_URLS,
    OTHER_URLS,
    POST_ONLY,
    RECORD_OPERATIONS,
    RECORD_URLS,
    SCHEMA_OPERATIONS,
    URL_KWARGS,
    _api_url,
    url_for,
)
from safehold.people.models import Location, Person

# What the owner's own users read: CI's pass without row-level security leaves it out (ADR 0067).
pytestmark = pytest.mark.owner_sees

EXPORT_FORMATS = [{}, {"format": "csv"}, {"format": "xlsx"}, {"format": "json"}]
# Roles that read personal records: each request is made by each of them.
READERS = [Role.ADMINISTRATOR, Role.IG_OFFICER, Role.CASEWORKER]
EVENT_TEXT_FIELDS = (
    "actor_label", "object_type", "object_ids", "subject_ids", "purpose", "legal_gateway",
    "recipient_agency_ids", "recipient_user_ids",
)  # fmt: skip


class Marked:
    """The distinctive values given to each record, and which record each one belongs to."""

    def __init__(self):
        self.shown: dict[str, tuple[str, object]] = {}  # value -> (kind, pk): looked for
        self.secret: set[str] = set()  # every personal value, in any format: never in an event

    def person(self, person: Person, i: int) -> None:
        given, family = f"Qgiv{i:03d}x", f"Qfam{i:03d}x"
        born = datetime.date(1950, 1, 1) + datetime.timedelta(days=97 * i)
        Person.objects.filter(pk=person.pk).update(
            given_name=given, family_name=family, date_of_birth=born
        )
        self.shown |= {given: ("person", person.pk), family: ("person", person.pk)}
        self.secret |= {given, family, *_dates(born)}

    def location(self, location: Location, i: int) -> None:
        line, postcode = f"{i} Qaddr{i:03d}x Street", f"Z{i:02d} 9QZ"
        Location.objects.filter(pk=location.pk).update(address_line_1=line, postcode=postcode)
        self.shown |= {
            f"Qaddr{i:03d}x": ("location", location.pk),
            postcode: ("location", location.pk),
        }
        self.secret |= {f"Qaddr{i:03d}x", postcode}

    def referral(self, referral: Referral, i: int) -> None:
        given, family, line = f"Qrgiv{i:03d}x", f"Qrfam{i:03d}x", f"{i} Qraddr{i:03d}x Road"
        Referral.objects.filter(pk=referral.pk).update(
            subject_given_name=given, subject_family_name=family, address_line_1=line
        )
        for value in (given, family, f"Qraddr{i:03d}x"):
            self.shown[value] = ("referral", referral.pk)
            self.secret.add(value)


def _dates(day: datetime.date) -> set[str]:
    return {day.isoformat(), day.strftime("%d/%m/%Y"), f"{day.day} {day:%B %Y}"}


@pytest.fixture
def marked(records):
    values = Marked()
    for i, person in enumerate(Person.objects.order_by("pk")):
        values.person(person, i)
    for i, location in enumerate(Location.objects.order_by("pk")):
        values.location(location, i)
    for i, referral in enumerate(Referral.objects.order_by("pk")):
        values.referral(referral, i)
    return values


def reader(records, role: str, marked: Marked):
    """A user of the owning agency with work of their own: in every team of the agency (triage
    and ASB queues), a sent and a draft referral they made, and an overdue task."""
    agency = records["agency"]
    user = UserFactory(agency=agency, role=role)
    user.teams.set(Team.objects.filter(agency=agency))
    programme = records["case"].programme
    for i, status in enumerate((ReferralStatus.SUBMITTED, ReferralStatus.DRAFT), start=900):
        mine = ReferralFactory(
            programme=programme, referrer=user, referrer_agency=agency, status=status,
            reference=None if status == ReferralStatus.DRAFT else f"REF-2099-{i}",
        )  # fmt: skip
        marked.referral(mine, i)
    Task.objects.create(
        case=records["case"], title="Visit", owner=user, owner_agency=agency,
        due_on=datetime.date(2020, 1, 1),
    )  # fmt: skip
    user.own = {"referral": [mine, *Referral.objects.filter(referrer=user).exclude(pk=mine.pk)]}
    return user


def _named(kind: str, pk, events) -> bool:
    """Whether the request's events name the record (or, for a place or referral, its case)."""
    ids = " ".join(f"{e.object_ids} {e.subject_ids}" for e in events)
    if str(pk) in ids:
        return True
    if kind == "location":
        cases = Case.objects.filter(location=pk).values_list("pk", flat=True)
    elif kind == "referral":
        cases = Case.objects.filter(referral=pk).values_list("pk", flat=True)
    else:
        return False
    return any(str(case) in ids for case in cases)


def check_request(client, marked: Marked, method: str, url: str, data=None) -> list[str]:
    """Make one request; return what is wrong with its audit trail."""
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = getattr(client, method)(url, data or {})
    events = list(AuditEvent.objects.filter(id__gt=before))
    problems = []
    if response.status_code == 200:
        text = text_of(response)
        for value, (kind, pk) in marked.shown.items():
            if value in text and not _named(kind, pk, events):
                problems.append(
                    f"{method.upper()} {url} {data or ''} shows {kind} {value} unaudited"
                )
    for event in events:
        held = " ".join(str(getattr(event, f) or "") for f in EVENT_TEXT_FIELDS)
        for value in marked.secret:
            if value in held:
                problems.append(f"{method.upper()} {url}: event #{event.id} holds {value!r}")
    return problems


@pytest.mark.parametrize("role", READERS)
@pytest.mark.parametrize("name", sorted(set(RECORD_URLS) - POST_ONLY - API_URLS))
def test_every_record_page_the_owner_opens_is_audited_naming_what_it_shows(
    client, records, marked, name, role
):
    user = reader(records, role, marked)
    client.force_login(user)
    problems = check_request(client, marked, "get", url_for(name, records))
    # The user's own referrals too: their question pages show what the referrer typed.
    for own in user.own.get(RECORD_URLS[name], []):
        problems += check_request(client, marked, "get", reverse(name, kwargs={"pk": own.pk}))
    assert problems == []


@pytest.mark.parametrize("role", READERS)
@pytest.mark.parametrize("name", sorted(OTHER_URLS - API_URLS))
def test_every_list_search_and_export_is_audited_naming_what_it_shows(
    client, records, marked, name, role
):
    client.force_login(reader(records, role, marked))
    url = reverse(name, kwargs=URL_KWARGS.get(name))
    problems = []
    for extra in EXPORT_FORMATS:
        problems += check_request(client, marked, "get", url, extra)
    assert problems == []


@pytest.mark.parametrize("role", READERS)
@pytest.mark.parametrize(("method", "path"), [op for op in SCHEMA_OPERATIONS if op[0] == "GET"])
def test_every_api_read_is_audited_naming_what_it_returns(
    client, records, marked, method, path, role
):
    client.force_login(reader(records, role, marked))
    from safehold.core.tests.test_access import API_OPERATIONS

    kind = API_OPERATIONS[f"{method} {path}"] if (method, path) in RECORD_OPERATIONS else None
    assert check_request(client, marked, "get", _api_url(path, kind, records)) == []
