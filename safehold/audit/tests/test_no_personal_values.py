"""Audit events never hold a personal value (ADR 0025): after searches and views of a person,
their case and their address through the real pages, exports and API, no event holds the words
searched for nor the person's name, alias, date of birth, address or postcode."""

import datetime
import html

import pytest
from django.test import Client
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.api import services as api_services
from safehold.audit.models import AuditEvent
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory
from safehold.people.models import PersonAlias
from safehold.people.tests.factories import LocationFactory, PersonFactory
from safehold.sharing import services as sharing
from safehold.sharing.tests.factories import AgreementFactory

GIVEN, FAMILY, ALIAS = "Zebedee", "Quarrington", "Zeddo"
BORN = datetime.date(1987, 3, 14)
ADDRESS, POSTCODE = "17 Ravensworth Crescent", "SK4 9QT"
PERSONAL = [
    GIVEN, FAMILY, ALIAS, BORN.isoformat(), BORN.strftime("%d/%m/%Y"), "14 March 1987",
    ADDRESS, "Ravensworth", POSTCODE, POSTCODE.replace(" ", ""),
]  # fmt: skip


def _text(response) -> str:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode()
    return html.unescape(response.content.decode(errors="replace"))


@pytest.fixture
def world(db):
    housing, police = AgencyFactory(), AgencyFactory()
    officer = UserFactory(agency=housing, role=Role.CASEWORKER)
    person = PersonFactory(
        owning_agency=housing, given_name=GIVEN, family_name=FAMILY, date_of_birth=BORN
    )
    PersonAlias.objects.create(person=person, name=ALIAS)
    place = LocationFactory(owning_agency=housing, address_line_1=ADDRESS, postcode=POSTCODE)
    case = CaseFactory(
        programme=ProgrammeFactory(lead_agency=housing), subject=person, location=place
    )
    pc = UserFactory(agency=police, role=Role.CASEWORKER)
    agreement = AgreementFactory(parties=[housing, police])
    sharing.disclose(
        agreement=agreement, to_agency=police, level="name_only", purpose=f"{FAMILY} is at risk",
        by=officer, case=case,
    )  # fmt: skip
    return officer, pc, person, place, case


def test_no_audit_event_holds_the_search_words_or_the_records_values(world):
    officer, pc, person, place, case = world
    web, police_web, api = Client(), Client(), Client()
    web.force_login(officer)
    police_web.force_login(pc)
    ig = UserFactory(agency=officer.agency, role=Role.IG_OFFICER)
    ig_web = Client()
    ig_web.force_login(ig)
    _, key = api_services.create_token(user=officer, name="Partner system", by=None)
    bearer = {"Authorization": f"Bearer {key}"}

    # Each request, and a value that must be on what it returned (the positive control).
    requests = [
        (web, reverse("people:list"), {"q": FAMILY}, {}, FAMILY),
        (web, reverse("people:list"), {"q": f"{GIVEN.lower()} {ALIAS}"}, {}, FAMILY),
        (web, reverse("people:location-list"), {"q": "Ravensworth"}, {}, ADDRESS),
        (web, reverse("people:location-list"), {"q": POSTCODE}, {}, ADDRESS),
        (web, reverse("cases:list"), {"q": FAMILY, "status": "open"}, {}, case.reference),
        (web, reverse("cases:list"), {"q": POSTCODE.split()[0]}, {}, case.reference),
        (web, reverse("cases:export"), {"q": FAMILY}, {}, FAMILY),
        (web, reverse("cases:export"), {"q": GIVEN, "format": "xlsx"}, {}, ""),
        (web, reverse("people:detail", args=[person.pk]), {}, {}, "14 March 1987"),
        (web, reverse("people:location-detail", args=[place.pk]), {}, {}, POSTCODE),
        (web, reverse("cases:detail", args=[case.pk]), {}, {}, ADDRESS),
        (api, reverse("api:person-list"), {"search": ALIAS}, bearer, FAMILY),
        (api, reverse("api:case-list"), {"search": FAMILY}, bearer, case.reference),
        (api, reverse("api:person-detail", args=[person.pk]), {}, bearer, BORN.isoformat()),
        (police_web, reverse("sharing:who-else"), {"q": f"{GIVEN} {FAMILY}"}, {}, FAMILY),
        (ig_web, reverse("audit:export"), {"record": str(person.pk)}, {}, str(person.pk)),
        # Free text typed into a search box where an id belongs.
        (ig_web, reverse("audit:export"), {"record": FAMILY}, {}, "id,occurred_at"),
    ]
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    for client, url, params, headers, shown in requests:
        response = client.get(url, params, headers=headers)
        assert response.status_code == 200, url
        assert shown in _text(response), (url, shown)

    events = AuditEvent.objects.filter(id__gt=before)
    assert events.count() >= len(requests)
    assert events.filter(subject_ids__contains=str(person.pk)).count() >= 10
    for event in AuditEvent.objects.all():  # with the disclosure, whose typed purpose names him
        text = " ".join(str(getattr(event, f.attname)) for f in AuditEvent._meta.concrete_fields)
        for value in PERSONAL:
            assert value.lower() not in text.lower(), (value, event.purpose)
    purposes = set(events.values_list("purpose", flat=True))
    assert {
        "person list search: q",
        "location list search: q",
        "case list search: q, status",
        "case list export (csv): q",
        "who else search: q",
        "audit search export: record",
    } <= purposes
