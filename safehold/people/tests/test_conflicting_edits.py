"""Two people changing the same person (ADR 0061): the first save is kept, the second is
refused with who changed the person and what each changed field says now, keeping what was
typed; saving again applies it. The same through the API: 409 with the person as it is now."""

import html

import pytest
from django.test import Client
from django.urls import reverse

from safehold.accounts.choices import AgencyKind, Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.api import services as api_services
from safehold.audit.choices import Action
from safehold.audit.models import AuditEvent
from safehold.core.tests.editing import hidden_fields
from safehold.people import services
from safehold.people.models import Person
from safehold.people.tests.factories import PersonFactory

INTELLIGENCE = "Seen with an OCG nominal at the address"


@pytest.fixture
def colleague(caseworker):
    return UserFactory(agency=caseworker.agency, role=Role.CASEWORKER, full_name="Ann O'Hara")


def form_data(person, **typed):
    """The person form as it is filled in with `person` (what the page shows), then typed."""
    born = person.date_of_birth
    data = {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "gender": person.gender,
        "date_of_birth_day": born.day,
        "date_of_birth_month": born.month,
        "date_of_birth_year": born.year,
    }
    return {**data, **typed}


def test_the_second_of_two_saves_is_refused_with_what_changed_and_what_was_typed_kept(
    signed_in, caseworker, colleague
):
    person = PersonFactory(owning_agency=caseworker.agency, given_name="Jo", family_name="Old")
    url = reverse("people:edit", args=[person.pk])
    other = Client()
    other.force_login(colleague)
    mine, theirs = hidden_fields(signed_in.get(url)), hidden_fields(other.get(url))
    assert mine["version"] == theirs["version"] == "1"

    first = other.post(url, {**theirs, **form_data(person, family_name="Firstsave")})
    assert first.status_code == 302
    second = signed_in.post(url, {**mine, **form_data(person, family_name="Secondsave")})

    assert second.status_code == 409
    page = html.unescape(second.content.decode())
    assert "There is a problem" in page
    assert "Ann O'Hara changed this person while you were editing it" in page
    assert "Last name is now: Firstsave" in page
    assert "First name is now" not in page  # not changed, so not listed
    assert 'value="Secondsave"' in page  # what was typed is kept, to save again
    person.refresh_from_db()
    assert (person.family_name, person.version) == ("Firstsave", 2)

    # Saving again, having seen their change, applies what was typed over it.
    again = signed_in.post(
        url, {**hidden_fields(second), **form_data(person, family_name="Secondsave")}
    )
    assert again.status_code == 302
    person.refresh_from_db()
    assert (person.family_name, person.version) == ("Secondsave", 3)


def test_the_refusal_names_no_field_the_user_may_not_see(client, db):
    housing = AgencyFactory(kind=AgencyKind.HOUSING)
    officer = UserFactory(agency=housing, role=Role.CASEWORKER)
    person = PersonFactory(owning_agency=housing, family_name="Kept")
    client.force_login(officer)
    url = reverse("people:edit", args=[person.pk])
    opened = hidden_fields(client.get(url))
    # Meanwhile Safehold itself (the command line) records police intelligence and a new name.
    services.update_person(
        person=Person.objects.get(pk=person.pk), by=None,
        police_intelligence=INTELLIGENCE, given_name="Renamed",
    )  # fmt: skip
    response = client.post(url, {**opened, **form_data(person, family_name="Mine")})
    assert response.status_code == 409
    page = html.unescape(response.content.decode())
    assert "First name is now: Renamed" in page  # the positive control: a field they see
    assert INTELLIGENCE not in page and "Police intelligence" not in page
    person.refresh_from_db()
    assert (person.family_name, person.police_intelligence) == ("Kept", INTELLIGENCE)


def test_a_save_that_changes_nothing_is_not_a_conflict(signed_in, caseworker, colleague):
    person = PersonFactory(owning_agency=caseworker.agency, family_name="Same")
    url = reverse("people:edit", args=[person.pk])
    opened = hidden_fields(signed_in.get(url))
    services.update_person(person=person, by=colleague, given_name="Changed")
    person.refresh_from_db()
    response = signed_in.post(url, {**opened, **form_data(person)})  # as it is now
    assert response.status_code == 302


def test_a_form_without_its_version_is_refused(signed_in, caseworker):
    person = PersonFactory(owning_agency=caseworker.agency, family_name="Same")
    response = signed_in.post(
        reverse("people:edit", args=[person.pk]), form_data(person, family_name="Other")
    )
    assert response.status_code == 200
    assert "This page is out of date: go back and open it again" in response.content.decode()
    person.refresh_from_db()
    assert person.family_name == "Same"


def _api(user) -> Client:
    _, key = api_services.create_token(user=user, name="Partner system", by=None)
    return Client(headers={"Authorization": f"Bearer {key}"})


def test_the_api_returns_the_version_and_refuses_an_update_based_on_an_older_one(
    caseworker, colleague
):
    person = PersonFactory(owning_agency=caseworker.agency, family_name="Old")
    url = reverse("api:person-detail", args=[person.pk])
    mine, theirs = _api(caseworker), _api(colleague)
    read = mine.get(url).json()
    assert read["version"] == 1

    first = theirs.patch(
        url, {"version": 1, "family_name": "Firstsave"}, content_type="application/json"
    )
    assert first.status_code == 200 and first.json()["version"] == 2
    second = mine.patch(
        url, {"version": read["version"], "family_name": "Secondsave"},
        content_type="application/json",
    )  # fmt: skip
    assert second.status_code == 409
    body = second.json()
    assert body["detail"] == "Ann O'Hara changed this person while you were editing it"
    assert (body["version"], body["changed_by"]) == (2, "Ann O'Hara")
    assert body["current"]["family_name"] == "Firstsave" and body["changed_at"]
    person.refresh_from_db()
    assert person.family_name == "Firstsave"
    # The refusal showed the person as they are now: that read is audited, with channel api.
    assert AuditEvent.objects.filter(
        action=Action.CONSULT, actor=caseworker, channel="api",
        object_ids__contains=str(person.pk), purpose__contains="refused update",
    ).exists()  # fmt: skip
    again = mine.patch(
        url, {"version": body["version"], "family_name": "Secondsave"},
        content_type="application/json",
    )  # fmt: skip
    assert again.status_code == 200 and again.json()["family_name"] == "Secondsave"


def test_an_api_update_without_a_version_is_bad_input(caseworker):
    person = PersonFactory(owning_agency=caseworker.agency, family_name="Old")
    response = _api(caseworker).patch(
        reverse("api:person-detail", args=[person.pk]), {"family_name": "New"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json() == {"version": ["Send the version of the record you read (`version`)"]}
    person.refresh_from_db()
    assert person.family_name == "Old"
