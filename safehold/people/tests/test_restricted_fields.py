"""Police intelligence and health details reach only the users restrictions.py names: in pages,
forms, exports and the API; and only those users may set them."""

import csv
import html
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from safehold.accounts.choices import AgencyKind, Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.api import services as api_services
from safehold.audit.choices import Action
from safehold.audit.models import AuditEvent
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory
from safehold.people import restrictions, services
from safehold.people.models import Person
from safehold.people.restrictions import RestrictedFieldError
from safehold.sharing import services as sharing
from safehold.sharing.tests.factories import AgreementFactory

INTELLIGENCE = "Seen with OCG nominal at the address, March"
HEALTH = "Insulin-dependent diabetes; misses appointments"


@pytest.fixture
def housing(db):
    return AgencyFactory(name="Homes test", kind=AgencyKind.HOUSING)


@pytest.fixture
def police(db):
    return AgencyFactory(name="Police test", kind=AgencyKind.POLICE)


@pytest.fixture
def health(db):
    return AgencyFactory(name="NHS trust test", kind=AgencyKind.HEALTH)


@pytest.fixture
def adult_social_care(db):
    return AgencyFactory(name="Adult social care test", kind=AgencyKind.ADULT_SOCIAL_CARE)


@pytest.fixture
def housing_officer(housing):
    return UserFactory(agency=housing, role=Role.CASEWORKER)


@pytest.fixture
def housing_ig(housing):
    return UserFactory(agency=housing, role=Role.IG_OFFICER)


@pytest.fixture
def police_officer(police):
    return UserFactory(agency=police, role=Role.CASEWORKER)


@pytest.fixture
def health_worker(health):
    return UserFactory(agency=health, role=Role.CASEWORKER)


@pytest.fixture
def social_worker(adult_social_care):
    return UserFactory(agency=adult_social_care, role=Role.SUPERVISOR)


@pytest.fixture
def case(housing):
    """A housing-led case whose subject has both restricted fields filled in."""
    return CaseFactory(
        programme=ProgrammeFactory(lead_agency=housing),
        subject__police_intelligence=INTELLIGENCE,
        subject__health_details=HEALTH,
    )


@pytest.fixture
def person(case):
    return case.subject


@pytest.fixture
def shared(case, housing, police, health, adult_social_care, housing_officer):
    """The case disclosed in full to police, health and adult social care."""
    agreement = AgreementFactory(parties=[housing, police, health, adult_social_care])
    for agency in (police, health, adult_social_care):
        sharing.disclose(
            agreement=agreement,
            to_agency=agency,
            level="full",
            purpose="exploitation panel",
            by=housing_officer,
            case=case,
        )
    return case


def page_of(client, user, person) -> str:
    client.force_login(user)
    response = client.get(reverse("people:detail", args=[person.pk]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())  # names such as O'Brien


# Pages


def test_a_police_user_sees_intelligence_on_a_person_disclosed_to_police_but_not_health(
    client, shared, person, police_officer
):
    page = page_of(client, police_officer, person)
    assert "Police intelligence" in page and INTELLIGENCE in page
    assert "Health details" not in page and HEALTH not in page


def test_a_caseworker_of_the_owning_housing_agency_sees_neither_field(
    client, person, housing_officer
):
    page = page_of(client, housing_officer, person)
    assert person.full_name in page
    for text in (INTELLIGENCE, HEALTH, "Police intelligence", "Health details"):
        assert text not in page


@pytest.mark.parametrize("user", ["health_worker", "social_worker"])
def test_health_and_adult_social_care_users_see_health_details_only(
    client, shared, person, request, user
):
    page = page_of(client, request.getfixturevalue(user), person)
    assert HEALTH in page and INTELLIGENCE not in page


def test_the_owning_agencys_ig_officer_sees_both_for_subject_access_and_oversight(
    client, person, housing_ig
):
    page = page_of(client, housing_ig, person)
    assert INTELLIGENCE in page and HEALTH in page


def test_another_agencys_ig_officer_does_not_see_them_on_a_disclosed_person(
    client, shared, person, police
):
    """IG officers see restricted fields of their own agency's records, not of shared ones."""
    ig = UserFactory(agency=AgencyFactory(kind=AgencyKind.COUNCIL), role=Role.IG_OFFICER)
    assert restrictions.visible_fields(ig, person) == set()
    police_ig = UserFactory(agency=police, role=Role.IG_OFFICER)
    assert restrictions.visible_fields(police_ig, person) == {"police_intelligence"}


def test_roles_that_do_not_work_with_personal_records_see_nothing_even_in_police(person, police):
    for role in (Role.REFERRER, Role.ANALYST):
        user = UserFactory(agency=police, role=role)
        assert restrictions.visible_fields(user, person) == set()


# Forms and writes


def test_the_edit_form_of_a_user_who_cannot_see_the_fields_does_not_render_them(
    client, person, housing_officer
):
    client.force_login(housing_officer)
    page = client.get(reverse("people:edit", args=[person.pk])).content.decode()
    assert 'name="given_name"' in page
    assert 'name="police_intelligence"' not in page and 'name="health_details"' not in page
    assert INTELLIGENCE not in page and HEALTH not in page


def test_an_edit_by_a_user_who_cannot_see_the_fields_leaves_them_unchanged(
    client, person, housing_officer
):
    client.force_login(housing_officer)
    response = client.post(
        reverse("people:edit", args=[person.pk]),
        {
            "version": person.version,
            "given_name": "Renamed",
            "family_name": person.family_name,
            "date_of_birth_day": person.date_of_birth.day,
            "date_of_birth_month": person.date_of_birth.month,
            "date_of_birth_year": person.date_of_birth.year,
            "gender": person.gender,
            # Sent anyway (a hand-made request): the form has no such fields, so they are ignored.
            "police_intelligence": "",
            "health_details": "overwritten",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.given_name == "Renamed"
    assert (person.police_intelligence, person.health_details) == (INTELLIGENCE, HEALTH)
    event = AuditEvent.objects.filter(action=Action.ALTER).last()
    assert event.purpose == "changed: given_name"


def test_a_police_user_adds_intelligence_and_the_audit_names_the_field_never_the_value(client, db):
    police = AgencyFactory(kind=AgencyKind.POLICE)
    officer = UserFactory(agency=police, role=Role.CASEWORKER)
    client.force_login(officer)
    form = client.get(reverse("people:create")).content.decode()
    assert 'name="police_intelligence"' in form and 'name="health_details"' not in form
    client.post(
        reverse("people:create"),
        {"given_name": "Sam", "family_name": "Jones", "gender": "not_known"},
    )
    person = Person.objects.get(owning_agency=police)
    response = client.post(
        reverse("people:edit", args=[person.pk]),
        {
            "version": person.version,
            "given_name": "Sam",
            "family_name": "Jones",
            "gender": "not_known",
            "police_intelligence": INTELLIGENCE,
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.police_intelligence == INTELLIGENCE
    event = AuditEvent.objects.filter(action=Action.ALTER).last()
    assert event.purpose == "changed: police_intelligence"
    assert not AuditEvent.objects.filter(purpose__contains="OCG").exists()
    # The edit form shows it again to the police officer.
    assert INTELLIGENCE in client.get(reverse("people:edit", args=[person.pk])).content.decode()


def test_the_services_refuse_restricted_fields_from_users_who_cannot_see_them(
    person, housing_officer, police_officer
):
    with pytest.raises(RestrictedFieldError):
        services.update_person(person=person, by=housing_officer, police_intelligence="")
    with pytest.raises(RestrictedFieldError):
        services.create_person(
            owning_agency=housing_officer.agency,
            given_name="A",
            family_name="B",
            health_details="asthma",
            by=housing_officer,
        )
    person.refresh_from_db()
    assert person.police_intelligence == INTELLIGENCE
    assert not AuditEvent.objects.filter(action__in=[Action.ALTER, Action.COLLECT]).exists()
    # The system (imports, the demo) may set them; so may a user who can see them.
    system = services.create_person(
        owning_agency=police_officer.agency, given_name="C", family_name="D", by=None,
        police_intelligence=INTELLIGENCE, health_details=HEALTH,
    )  # fmt: skip
    assert (system.police_intelligence, system.health_details) == (INTELLIGENCE, HEALTH)


# API


def api_get(client, user, name, **kwargs):
    _, key = api_services.create_token(user=user, name="Partner system", by=None)
    response = client.get(
        reverse(name, kwargs=kwargs or None), headers={"Authorization": f"Bearer {key}"}
    )
    assert response.status_code == 200
    return response


def test_the_api_leaves_restricted_fields_out_for_the_owning_caseworker(
    client, person, housing_officer
):
    for response in (
        api_get(client, housing_officer, "api:person-list"),
        api_get(client, housing_officer, "api:person-detail", pk=person.pk),
    ):
        body = response.content.decode()
        assert person.family_name in body
        assert INTELLIGENCE not in body and HEALTH not in body
        assert "police_intelligence" not in body and "health_details" not in body


def test_the_api_shows_police_intelligence_to_police_and_health_details_to_health(
    client, shared, person, police_officer, health_worker
):
    detail = api_get(client, police_officer, "api:person-detail", pk=person.pk).json()
    assert detail["police_intelligence"] == INTELLIGENCE and "health_details" not in detail
    (row,) = api_get(client, police_officer, "api:person-list").json()["results"]
    assert row["police_intelligence"] == INTELLIGENCE and "health_details" not in row
    # Through the browser session too.
    client.force_login(health_worker)
    detail = client.get(reverse("api:person-detail", args=[person.pk])).json()
    assert detail["health_details"] == HEALTH and "police_intelligence" not in detail


# Exports


def test_no_export_that_includes_people_carries_the_restricted_fields(
    client, shared, housing_officer, housing_ig, police_officer
):
    for user in (housing_officer, police_officer, housing_ig):
        client.force_login(user)
        exports = [
            b"".join(client.get(reverse("cases:export"), {"format": "csv"}).streaming_content),
            client.get(reverse("cases:export-csv")).content,
        ]
        sheet = load_workbook(
            io.BytesIO(client.get(reverse("cases:export"), {"format": "xlsx"}).content)
        ).active
        exports.append(repr(list(sheet.values)).encode())
        for content in exports:
            assert shared.reference.encode() in content
            assert INTELLIGENCE.encode() not in content and HEALTH.encode() not in content
    client.force_login(housing_ig)
    audit_csv = b"".join(
        client.get(reverse("audit:export"), {"record": str(shared.subject_id)}).streaming_content
    ).decode()
    assert len(list(csv.reader(io.StringIO(audit_csv)))) > 1
    assert INTELLIGENCE not in audit_csv and HEALTH not in audit_csv
