import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.audit.choices import Action
from safehold.audit.models import AuditEvent
from safehold.audit.tests.tampering import remove_the_chain_head
from safehold.core.postcodes import normalise_postcode
from safehold.people.models import Person
from safehold.people.tests.factories import LocationFactory, PersonFactory


def test_person_of_another_agency_is_not_found_and_the_attempt_is_recorded(
    client, other_agency_caseworker, agency
):
    person = PersonFactory(owning_agency=agency, given_name="Qzxunseen")
    client.force_login(other_agency_caseworker)
    response = client.get(reverse("people:detail", args=[person.pk]))
    assert response.status_code == 404
    assert person.given_name not in response.content.decode()
    denied = AuditEvent.objects.get(action=Action.ACCESS_DENIED)
    assert denied.actor == other_agency_caseworker and denied.object_ids == str(person.pk)
    assert not AuditEvent.objects.filter(action=Action.CONSULT).exists()


def test_every_visit_to_a_person_leaves_one_consult_event(signed_in, caseworker):
    person = PersonFactory(owning_agency=caseworker.agency)
    for visit in range(1, 3):
        response = signed_in.get(reverse("people:detail", args=[person.pk]))
        assert response.status_code == 200 and person.full_name in html.unescape(
            response.content.decode()
        )
        events = AuditEvent.objects.filter(action=Action.CONSULT, object_ids=str(person.pk))
        assert events.count() == visit
    event = events.last()
    assert (event.actor, event.actor_agency, event.object_type) == (
        caseworker,
        caseworker.agency,
        "people.person",
    )
    assert event.subject_ids == str(person.pk) and event.channel == "web" and event.occurred_at


def test_the_person_list_issues_the_same_number_of_queries_for_10_and_1000_people(
    signed_in, caseworker
):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert signed_in.get(reverse("people:list")).status_code == 200
        return len(ctx.captured_queries)

    PersonFactory.create_batch(10, owning_agency=caseworker.agency)
    ten = count_queries()
    people = PersonFactory.build_batch(990, owning_agency=caseworker.agency)
    Person.objects.bulk_create(people)
    assert Person.objects.count() == 1000
    assert count_queries() == ten


def test_the_person_list_shows_only_our_agencys_people_and_is_audited(
    signed_in, caseworker, other_agency_caseworker
):
    ours = PersonFactory(owning_agency=caseworker.agency, family_name="Ourperson")
    PersonFactory(owning_agency=other_agency_caseworker.agency, family_name="Theirperson")
    page = signed_in.get(reverse("people:list")).content.decode()
    assert "Ourperson" in page and "Theirperson" not in page
    event = AuditEvent.objects.get(action=Action.CONSULT)
    assert event.subject_ids == str(ours.pk)


def test_search_finds_people_by_alias(signed_in, caseworker):
    from safehold.people.models import PersonAlias

    person = PersonFactory(owning_agency=caseworker.agency, given_name="Alex", family_name="Brown")
    PersonAlias.objects.create(person=person, name="Lexi")
    response = signed_in.get(reverse("people:list"), {"q": "lexi"})
    assert list(response.context["page"]) == [person]


def test_adding_a_person_records_a_collect_event(signed_in, caseworker):
    response = signed_in.post(
        reverse("people:create"),
        {
            "given_name": "Morgan",
            "family_name": "Test",
            "aliases": "Mo\nMorg",
            "date_of_birth_day": "3",
            "date_of_birth_month": "4",
            "date_of_birth_year": "1980",
            "gender": "female",
            "vulnerabilities": ["substance_misuse", "mental_health"],
        },
    )
    person = Person.objects.get(family_name="Test")
    assert response.url == reverse("people:detail", args=[person.pk])
    assert person.owning_agency == caseworker.agency
    assert sorted(a.name for a in person.aliases.all()) == ["Mo", "Morg"]
    assert str(person.date_of_birth) == "1980-04-03"
    assert AuditEvent.objects.filter(action=Action.COLLECT, subject_ids=str(person.pk)).count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"given_name": "", "family_name": "X", "gender": "male"},
            "Enter the person&#x27;s first name",
        ),
        (
            {
                "given_name": "A",
                "family_name": "B",
                "gender": "male",
                "date_of_birth_day": "31",
                "date_of_birth_month": "2",
                "date_of_birth_year": "1990",
            },
            "Date of birth must be a real date",
        ),
        (
            {
                "given_name": "A",
                "family_name": "B",
                "gender": "male",
                "date_of_birth_day": "1",
                "date_of_birth_month": "1",
                "date_of_birth_year": "2999",
            },
            "Date of birth must be today or in the past",
        ),
        (
            {
                "given_name": "A",
                "family_name": "B",
                "gender": "male",
                "date_of_birth_day": "1",
                "date_of_birth_year": "1990",
            },
            "Date of birth must include a month",
        ),
    ],
)
def test_bad_person_input_gets_a_clear_error_and_saves_nothing(signed_in, data, message):
    response = signed_in.post(reverse("people:create"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    assert not Person.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.COLLECT).exists()


def test_editing_a_person_records_which_fields_changed_but_not_their_values(signed_in, caseworker):
    person = PersonFactory(owning_agency=caseworker.agency, given_name="Jo", family_name="Old")
    response = signed_in.post(
        reverse("people:edit", args=[person.pk]),
        {
            "version": person.version,
            "given_name": "Jo",
            "family_name": "Newname",
            "gender": person.gender,
            "vulnerabilities": ["learning_disability"],
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.family_name == "Newname"
    event = AuditEvent.objects.get(action=Action.ALTER)
    assert "family_name" in event.purpose and "vulnerabilities" in event.purpose
    assert "Newname" not in event.purpose and "Learning" not in event.purpose


def test_when_the_audit_write_fails_the_change_is_not_made(client, caseworker):
    person = PersonFactory(owning_agency=caseworker.agency, family_name="Unchanged")
    client.force_login(caseworker)
    client.raise_request_exception = False
    remove_the_chain_head()  # the audit log can no longer be written
    response = client.post(
        reverse("people:edit", args=[person.pk]),
        {
            "version": person.version,
            "given_name": person.given_name,
            "family_name": "Changed",
            "gender": "male",
        },
    )
    assert response.status_code == 500
    person.refresh_from_db()
    assert person.family_name == "Unchanged"


def test_when_the_audit_write_fails_the_person_is_not_shown(client, caseworker):
    person = PersonFactory(owning_agency=caseworker.agency, family_name="Hiddenname")
    client.force_login(caseworker)
    client.raise_request_exception = False
    remove_the_chain_head()
    response = client.get(reverse("people:detail", args=[person.pk]))
    assert response.status_code == 500
    assert "Hiddenname" not in response.content.decode()


@pytest.mark.parametrize("role", [Role.REFERRER, Role.ANALYST])
def test_roles_without_casework_see_no_people(client, agency, role):
    person = PersonFactory(owning_agency=agency)
    client.force_login(UserFactory(agency=agency, role=role))
    assert client.get(reverse("people:list")).status_code == 403
    assert client.get(reverse("people:detail", args=[person.pk])).status_code == 404


def test_information_governance_officers_can_read_but_not_change_people(client, agency):
    person = PersonFactory(owning_agency=agency)
    client.force_login(UserFactory(agency=agency, role=Role.IG_OFFICER))
    assert client.get(reverse("people:detail", args=[person.pk])).status_code == 200
    # 404, not 403: a refused record URL answers as if there were nothing there.
    assert client.get(reverse("people:edit", args=[person.pk])).status_code == 404


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("sk1 3xe", "SK1 3XE"),
        ("SK13XE", "SK1 3XE"),
        (" m1  1ae ", "M1 1AE"),
        ("EC1A1BB", "EC1A 1BB"),
    ],
)
def test_postcodes_are_normalised(raw, expected):
    assert normalise_postcode(raw) == expected


@pytest.mark.parametrize("bad", ["SK1", "12345", "SK1 3X", "QQ1 1AA"])
def test_a_bad_postcode_is_refused(signed_in, bad):
    response = signed_in.post(
        reverse("people:location-create"),
        {"address_line_1": "1 High St", "postcode": bad, "tenure": "other"},
    )
    assert "Enter a real postcode, like SK1 3XE" in response.content.decode()


def test_adding_a_place_stores_the_normalised_postcode_and_the_lsoas_ward(signed_in, caseworker):
    from safehold.geography.services import load_stockport_extract
    from safehold.people.models import Location

    load_stockport_extract()
    response = signed_in.post(
        reverse("people:location-create"),
        {
            "address_line_1": "1 Test Street",
            "postcode": "sk1 3xe",
            "tenure": "social_rent",
            "lsoa": "E01005743",
            "uprn": "100011",
        },
    )
    assert response.status_code == 302
    location = Location.objects.get()
    assert location.postcode == "SK1 3XE"
    assert location.ward_id == "E05000781"  # Bredbury and Woodley holds Stockport 009A


def test_a_place_of_another_agency_is_not_found(client, other_agency_caseworker, agency):
    location = LocationFactory(owning_agency=agency)
    client.force_login(other_agency_caseworker)
    assert client.get(reverse("people:location-detail", args=[location.pk])).status_code == 404


def test_searching_by_part_of_a_name_finds_ours_and_never_theirs(
    signed_in, caseworker, other_agency_caseworker
):
    """On PostgreSQL the matching keys are looked up first with the row-level restriction
    lifted (safehold/people/search.py); the page still shows only what the read gate allows,
    and counts only that."""
    from safehold.people.models import PersonAlias

    ours = PersonFactory(owning_agency=caseworker.agency, family_name="Zanzibarova")
    theirs = PersonFactory(owning_agency=other_agency_caseworker.agency, family_name="Zanzibarov")
    PersonAlias.objects.create(person=theirs, name="Zanzibarovic")
    for query in ("anzibar", "ZANZIBAROV", "zibarov"):
        response = signed_in.get(reverse("people:list"), {"q": query})
        assert list(response.context["page"]) == [ours], query
        assert response.context["page"].paginator.count == 1
        assert "Zanzibarovic" not in response.content.decode()


def test_a_search_matching_more_people_than_the_key_limit_still_finds_them_all(
    signed_in, caseworker, monkeypatch
):
    from safehold.people import search

    monkeypatch.setattr(search, "MAX_KEYS", 2)
    people = [
        PersonFactory(owning_agency=caseworker.agency, family_name=f"Quorn{i}") for i in range(3)
    ]
    response = signed_in.get(reverse("people:list"), {"q": "quorn"})
    assert set(response.context["page"]) == set(people)
