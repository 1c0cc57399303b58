import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from safehold.api.models import ApiToken
from safehold.api.services import hash_key
from safehold.audit.choices import Action
from safehold.audit.models import AuditEvent
from safehold.cases.tests.factories import ProgrammeFactory
from safehold.people.tests.factories import PersonFactory


def test_a_partner_system_reads_with_its_bearer_token(client, caseworker, bearer):
    PersonFactory(owning_agency=caseworker.agency, family_name="Tokenread")
    response = client.get(reverse("api:person-list"), headers=bearer(caseworker))
    assert response.status_code == 200
    assert [p["family_name"] for p in response.json()["results"]] == ["Tokenread"]
    assert ApiToken.objects.get().last_used_at is not None


def test_only_a_hash_of_the_token_is_stored(caseworker):
    out = io.StringIO()
    call_command("api", "token", "create", caseworker.email, "--name", "Housing CRM", stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    token = ApiToken.objects.get()
    assert key.startswith(f"safehold_{token.key_prefix}_") and len(key) > 40
    assert token.key_hash == hash_key(key) and key not in token.key_hash
    assert (token.user, token.name) == (caseworker, "Housing CRM")
    event = AuditEvent.objects.get(action=Action.COLLECT, object_type="api.apitoken")
    assert event.channel == "cli" and str(caseworker.pk) in event.object_ids
    assert key not in event.purpose


def test_a_revoked_token_is_refused_with_401(client, caseworker, bearer):
    headers = bearer(caseworker)
    assert client.get(reverse("api:person-list"), headers=headers).status_code == 200
    call_command("api", "token", "revoke", ApiToken.objects.get().key_prefix, stdout=io.StringIO())
    response = client.get(reverse("api:person-list"), headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'
    assert AuditEvent.objects.filter(action=Action.ALTER, object_type="api.apitoken").count() == 1


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer safehold_00000000_not-a-real-token",
        "Bearer",
        "Bearer two parts",
    ],
)
def test_an_unknown_or_malformed_token_is_refused_with_401(client, caseworker, authorization):
    response = client.get(reverse("api:person-list"), headers={"Authorization": authorization})
    assert response.status_code == 401
    assert "detail" in response.json()


def test_a_disabled_users_token_is_refused(client, caseworker, bearer):
    headers = bearer(caseworker)
    caseworker.is_active = False
    caseworker.save()
    assert client.get(reverse("api:person-list"), headers=headers).status_code == 401


def test_a_signed_in_browser_session_can_use_the_api(signed_in):
    assert signed_in.get(reverse("api:person-list")).status_code == 200


def test_anonymous_callers_get_401_not_the_sign_in_page(client, db):
    response = client.get(reverse("api:case-list"))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response["Content-Type"] == "application/json"


def test_the_schema_is_served_to_authenticated_callers_only(client, caseworker, bearer):
    assert client.get(reverse("api:schema")).status_code == 401
    response = client.get(reverse("api:schema"), {"format": "json"}, headers=bearer(caseworker))
    assert response.status_code == 200
    schema = response.json()
    assert (schema["info"]["title"], schema["info"]["version"]) == ("Safehold API", "1.0.0")
    assert "/api/v1/referrals/" in schema["paths"]
    assert "bearerAuth" in schema["components"]["securitySchemes"]


def test_tokens_cannot_be_issued_to_unknown_or_disabled_users(caseworker):
    with pytest.raises(CommandError, match="no user"):
        call_command("api", "token", "create", "nobody@example.org", "--name", "x")
    caseworker.is_active = False
    caseworker.save()
    with pytest.raises(CommandError, match="disabled"):
        call_command("api", "token", "create", caseworker.email, "--name", "x")
    assert not ApiToken.objects.exists()


def test_revoking_an_unknown_or_revoked_prefix_is_an_error(caseworker, bearer):
    bearer(caseworker)
    prefix = ApiToken.objects.get().key_prefix
    with pytest.raises(CommandError, match="no token"):
        call_command("api", "token", "revoke", "zzzzzzzz")
    call_command("api", "token", "revoke", prefix, stdout=io.StringIO())
    with pytest.raises(CommandError, match="already revoked"):
        call_command("api", "token", "revoke", prefix)


def test_token_list_names_tokens_but_never_shows_them(caseworker, bearer):
    key = bearer(caseworker)["Authorization"].removeprefix("Bearer ")
    out = io.StringIO()
    call_command("api", "token", "list", stdout=out)
    assert ApiToken.objects.get().key_prefix in out.getvalue()
    assert caseworker.email in out.getvalue() and key not in out.getvalue()


def test_a_session_post_needs_the_csrf_token_but_a_bearer_token_does_not(caseworker, bearer):
    ProgrammeFactory()
    data = {"what_was_seen": "x", "consent": "yes", "urgency": "routine", "postcode": "SK1 3XE"}
    data |= {"subject_given_name": "Sam"}
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(caseworker)
    url = reverse("api:referral-list")
    response = browser.post(url, data, content_type="application/json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    partner = Client(enforce_csrf_checks=True)
    response = partner.post(url, data, content_type="application/json", headers=bearer(caseworker))
    assert response.status_code == 201
