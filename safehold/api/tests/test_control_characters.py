"""The API refuses control characters (a NUL byte above all) in filters and JSON bodies with
its JSON 400: on PostgreSQL a NUL was a 500, the audit insert failing."""

from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.cases.models import Referral
from safehold.cases.tests.factories import ProgrammeFactory


def test_the_api_answers_a_nul_in_a_filter_with_its_json_400(client, caseworker, bearer):
    headers = bearer(caseworker)
    url = reverse("api:case-list")
    assert client.get(url, {"search": "ab"}, headers=headers).status_code == 200
    response = client.get(f"{url}?search=a%00b", headers=headers)
    assert response.status_code == 400
    assert "control character" in response.json()["non_field_errors"][0]


REFERRAL = {
    "subject_given_name": "Sam",
    "address_line_1": "12 Test Street",
    "what_was_seen": "Visitors at night.",
    "consent": "not_known",
    "urgency": "urgent",
}


def test_the_api_refuses_a_nul_in_a_json_body_and_saves_nothing(client, bearer):
    ProgrammeFactory()
    headers = bearer(UserFactory(role=Role.REFERRER))
    url = reverse("api:referral-list")
    bad = {**REFERRAL, "what_was_seen": "Visitors\u0000 at night."}
    response = client.post(url, bad, content_type="application/json", headers=headers)
    assert response.status_code == 400
    assert "control character" in response.json()["non_field_errors"][0]
    assert not Referral.objects.exists()
    good = client.post(url, REFERRAL, content_type="application/json", headers=headers)
    assert good.status_code == 201  # the positive control
