"""Item 18: a place found by its postcode (ward, LSOA and coordinates filled from the shipped
postcode points, placed in today's areas), its map, and the cases and people on a place's page
and a person's, through the read gates and audited."""

import html
from decimal import Decimal

import pytest
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.audit.choices import Action
from safehold.audit.models import AuditEvent
from safehold.cases.services import referrals
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory, ReferralFactory
from safehold.geography import postcodes
from safehold.geography.postcodes import to_wgs84
from safehold.geography.services import load_stockport_extract
from safehold.people import services
from safehold.people.models import Location
from safehold.people.tests.factories import LocationFactory, PersonFactory

pytestmark = pytest.mark.django_db

# SK1 1EB: OS Code-Point Open 2014 point 389602 E, 390359 N, in LSOA Stockport 014E
# (E01033947), whose ward is E05000783.
POSTCODE, LSOA, WARD = "SK1 1EB", "E01033947", "E05000783"


@pytest.fixture(autouse=True)
def geography(db):
    load_stockport_extract()


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def test_find_fills_the_ward_lsoa_and_coordinates_of_the_postcode_and_keeps_what_was_typed(
    signed_in,
):
    response = signed_in.post(
        reverse("people:location-create"),
        {"address_line_1": "1 Test Street", "postcode": "sk1 1eb", "tenure": "other", "find": "1"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.data["ward"] == WARD and form.data["lsoa"] == LSOA
    assert form.data["latitude"].startswith("53.40") and form.data["longitude"].startswith("-2.15")
    text = page_text(response)
    assert "SK1 1EB is in" in text and "Stockport 014E" in text
    assert 'value="1 Test Street"' in text
    assert "govuk-error-summary" not in text  # nothing else is checked until it is saved
    assert not Location.objects.exists()


def test_an_unknown_postcode_is_an_error_on_the_postcode(signed_in):
    response = signed_in.post(
        reverse("people:location-create"), {"postcode": "SK9 9ZZ", "find": "1"}
    )
    text = page_text(response)
    assert "govuk-error-summary" in text and "We could not find that postcode" in text
    assert "Enter address line 1" not in text


def test_saving_a_place_with_only_a_postcode_places_it_in_its_ward_and_lsoa(signed_in):
    response = signed_in.post(
        reverse("people:location-create"),
        {"address_line_1": "1 Test Street", "postcode": "sk1 1eb", "tenure": "other"},
    )
    location = Location.objects.get()
    assert response.status_code == 302
    assert (location.ward_id, location.lsoa_id) == (WARD, LSOA)
    lon, lat = to_wgs84([389602], [390359])
    assert (location.latitude, location.longitude) == (
        Decimal(f"{lat[0]:.6f}"),
        Decimal(f"{lon[0]:.6f}"),
    )


def test_a_referral_address_accepted_into_a_case_gets_its_ward_from_the_postcode(agency):
    # Triage acceptance records the referral's address through this service (ADR 0032).
    location = services.create_location(
        owning_agency=agency, by=None, address_line_1="2 Test Road", postcode="SK1 1EB"
    )
    assert (location.ward_id, location.lsoa_id) == (WARD, LSOA)
    assert location.latitude is not None and location.longitude is not None
    unknown = services.create_location(
        owning_agency=agency, by=None, address_line_1="3 Test Road", postcode="SK9 9ZZ"
    )
    assert unknown.ward_id is None and unknown.latitude is None
    given = services.create_location(
        owning_agency=agency,
        by=None,
        address_line_1="4 Test Road",
        postcode="SK1 1EB",
        latitude=Decimal("53.1"),
        longitude=Decimal("-2.1"),
    )
    assert given.latitude == Decimal("53.1")  # what was given is kept


def test_the_place_page_shows_its_map_and_the_cases_and_people_the_user_may_see(
    signed_in, caseworker
):
    programme = ProgrammeFactory(lead_agency=caseworker.agency)
    place = LocationFactory(
        owning_agency=caseworker.agency,
        ward_id=WARD,
        latitude=Decimal("53.40995"),
        longitude=Decimal("-2.15788"),
    )
    own = CaseFactory(
        programme=programme,
        location=place,
        subject=PersonFactory(owning_agency=caseworker.agency, given_name="Quenby"),
    )
    other_agency = AgencyFactory()
    hidden = CaseFactory(
        programme=ProgrammeFactory(lead_agency=other_agency),
        location=place,
        subject=PersonFactory(owning_agency=other_agency, given_name="Zebedee"),
    )
    response = signed_in.get(reverse("people:location-detail", args=[place.pk]))
    text = page_text(response)
    assert own.reference in text and "Quenby" in text  # the positive control
    assert hidden.reference not in text and "Zebedee" not in text
    assert 'data-crime-map="place-map-data"' in text
    data = response.context["map"].data()
    assert data["boundaries"]["features"][0]["properties"]["code"] == WARD
    event = AuditEvent.objects.filter(action=Action.CONSULT).latest("id")
    assert str(place.pk) in event.object_ids and str(own.pk) in event.object_ids
    assert event.subject_ids == str(own.subject_id)
    assert str(hidden.pk) not in event.object_ids


def test_a_place_without_coordinates_says_so_instead_of_a_map(signed_in, caseworker):
    place = LocationFactory(owning_agency=caseworker.agency, postcode="SK9 9ZZ")
    text = page_text(signed_in.get(reverse("people:location-detail", args=[place.pk])))
    assert "cannot be shown on a map" in text and "data-crime-map" not in text


def test_a_persons_page_lists_their_cases_and_addresses_through_the_gates(signed_in, caseworker):
    programme = ProgrammeFactory(lead_agency=caseworker.agency)
    person = PersonFactory(owning_agency=caseworker.agency)
    home = LocationFactory(owning_agency=caseworker.agency, address_line_1="9 Visible Lane")
    case = CaseFactory(programme=programme, subject=person, location=home)
    other_agency = AgencyFactory()
    elsewhere = LocationFactory(owning_agency=other_agency, address_line_1="7 Hidden Row")
    hidden = CaseFactory(
        programme=ProgrammeFactory(lead_agency=other_agency), subject=person, location=elsewhere
    )
    response = signed_in.get(reverse("people:detail", args=[person.pk]))
    text = page_text(response)
    assert case.reference in text and "9 Visible Lane" in text  # the positive control
    assert hidden.reference not in text and "7 Hidden Row" not in text
    event = AuditEvent.objects.filter(action=Action.CONSULT).latest("id")
    assert str(case.pk) in event.object_ids and str(home.pk) in event.object_ids
    assert str(hidden.pk) not in event.object_ids


def test_a_referral_accepted_at_triage_records_its_address_in_its_ward_and_lsoa():
    programme = ProgrammeFactory()
    worker = UserFactory(agency=programme.lead_agency, role=Role.CASEWORKER)
    referral = ReferralFactory(
        programme=programme, address_line_1="5 Test Close", postcode="sk11eb"
    )
    case = referrals.accept(
        referral=referral, by=worker, person=referrals.FROM_REFERRAL,
        location=referrals.FROM_REFERRAL, exploitation_type="cuckooing", risk_level="high",
        risk_rationale="Daily visitors",
    )  # fmt: skip
    assert (case.location.ward_id, case.location.lsoa_id) == (WARD, LSOA)
    assert case.location.latitude is not None


def test_the_place_and_person_pages_issue_the_same_number_of_queries_for_1_and_8_cases(
    signed_in, caseworker
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    programme = ProgrammeFactory(lead_agency=caseworker.agency)
    place = LocationFactory(owning_agency=caseworker.agency)
    person = PersonFactory(owning_agency=caseworker.agency)

    def counts() -> tuple[int, int]:
        result = []
        for url in (
            reverse("people:location-detail", args=[place.pk]),
            reverse("people:detail", args=[person.pk]),
        ):
            with CaptureQueriesContext(connection) as ctx:
                assert signed_in.get(url).status_code == 200
            result.append(len(ctx.captured_queries))
        return tuple(result)

    CaseFactory(programme=programme, location=place, subject=person)
    one = counts()
    for _ in range(7):
        CaseFactory(programme=programme, location=place, subject=person)
    assert counts() == one


def test_a_new_postcode_saved_on_a_place_moves_it_to_the_new_postcodes_areas(signed_in, caseworker):
    place = services.create_location(
        owning_agency=caseworker.agency,
        by=caseworker,
        address_line_1="1 Old Road",
        postcode=POSTCODE,
    )
    before = (place.ward_id, place.lsoa_id, place.latitude)
    form = signed_in.get(reverse("people:location-edit", args=[place.pk])).context["form"]
    data = {k: ("" if v is None else getattr(v, "pk", v)) for k, v in form.initial.items()}
    data["postcode"] = "SK2 5DH"  # changed, without pressing Find
    response = signed_in.post(reverse("people:location-edit", args=[place.pk]), data)
    assert response.status_code == 302
    place.refresh_from_db()
    found = postcodes.look_up("SK2 5DH")
    assert (place.ward_id, place.lsoa_id) == (found.ward.pk, found.lsoa.pk) != before[:2]
    assert place.latitude != before[2]
