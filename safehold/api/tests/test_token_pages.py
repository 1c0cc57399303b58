"""API tokens managed in the browser: the secret shown once, revoking after confirmation, only
the administrator's own agency's tokens."""

import pytest
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.api import selectors, services
from safehold.api.models import ApiToken
from safehold.core.errors import NotPermitted


@pytest.fixture
def admin(db):
    return UserFactory(role=Role.ADMINISTRATOR)


def test_a_token_created_in_the_browser_shows_its_secret_once_and_works(client, admin):
    worker = UserFactory(agency=admin.agency)
    client.force_login(admin)
    response = client.post(reverse("tokens:create"), {"user": worker.pk, "name": "Housing CRM"})
    key = response.context["key"]
    assert key in response.content.decode()
    assert selectors.live_token_for_key(key).user == worker
    listing = client.get(reverse("tokens:list")).content.decode()
    assert "Housing CRM" in listing and key not in listing


def test_a_token_is_revoked_after_a_confirmation_page(client, admin):
    token, key = services.create_token(user=UserFactory(agency=admin.agency), name="X", by=None)
    client.force_login(admin)
    url = reverse("tokens:revoke", args=[token.pk])
    assert "Revoke the token X?" in client.get(url).content.decode()
    assert selectors.live_token_for_key(key) is not None
    assert client.post(url).status_code == 302
    assert selectors.live_token_for_key(key) is None


def test_another_agencys_token_is_not_found_and_its_admin_sees_it(client, admin):
    other = UserFactory()
    token, _ = services.create_token(user=other, name="Theirs", by=None)
    client.force_login(admin)
    assert client.get(reverse("tokens:revoke", args=[token.pk])).status_code == 404
    assert "Theirs" not in client.get(reverse("tokens:list")).content.decode()
    client.force_login(UserFactory(agency=other.agency, role=Role.ADMINISTRATOR))
    assert client.get(reverse("tokens:revoke", args=[token.pk])).status_code == 200


def test_only_an_administrator_of_the_users_agency_issues_or_revokes_tokens(admin):
    worker = UserFactory(agency=admin.agency)
    token, _ = services.create_token(user=worker, name="X", by=admin)
    for by in (worker, UserFactory(role=Role.ADMINISTRATOR)):
        with pytest.raises(NotPermitted):
            services.create_token(user=worker, name="Y", by=by)
        with pytest.raises(NotPermitted):
            services.revoke_token(token=token, by=by)
    assert ApiToken.objects.filter(user=worker).count() == 1


def test_a_token_without_a_name_is_an_error_on_the_form(client, admin):
    client.force_login(admin)
    page = client.post(reverse("tokens:create"), {"user": admin.pk, "name": ""}).content.decode()
    assert "Enter what the token is for" in page
    assert not ApiToken.objects.exists()
