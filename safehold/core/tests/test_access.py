"""The access test every module reuses: every URL the resolver knows is checked here.

Anonymous requests must be refused (redirected to sign-in), and a user of another agency must
get 404 for a record that was not shared with them. A URL added without an entry below fails
`test_every_url_is_covered_by_the_access_test`, so nobody can forget a new page.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.people.tests.factories import LocationFactory, PersonFactory

# Pages anyone may open.
PUBLIC = {"accounts:sign-in", "accounts:signed-out"}
# Pages about one record: the kind of record their `pk` names.
RECORD_URLS = {
    "people:detail": "person",
    "people:edit": "person",
    "people:location-detail": "location",
    "people:location-edit": "location",
    "accounts:user-set-active": "user",
}
# Pages about no single record (lists, searches, forms to add one).
OTHER_URLS = {
    "core:home",
    "accounts:sign-out",
    "accounts:user-list",
    "people:list",
    "people:create",
    "people:location-list",
    "people:location-create",
    "audit:search",
    "audit:export",
}


def _walk(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, ns)
        elif isinstance(p, URLPattern):
            yield f"{namespace}{p.name}", p


def all_url_names() -> set[str]:
    return {name for name, _ in _walk(get_resolver().url_patterns)}


def test_every_url_is_covered_by_the_access_test():
    covered = PUBLIC | set(RECORD_URLS) | OTHER_URLS
    assert all_url_names() - covered == set(), "add the new URL to test_access.py"
    assert covered - all_url_names() == set(), (
        "remove URLs that no longer exist from test_access.py"
    )


@pytest.fixture
def records(db):
    """One record of each kind, owned by the 'home' agency, with a user there who may open them."""
    home = AgencyFactory()
    return {
        "agency": home,
        "person": PersonFactory(owning_agency=home),
        "location": LocationFactory(owning_agency=home),
        "user": UserFactory(agency=home, role=Role.CASEWORKER),
        "admin": UserFactory(agency=home, role=Role.ADMINISTRATOR),
    }


def url_for(name: str, records) -> str:
    kind = RECORD_URLS.get(name)
    return reverse(name, kwargs={"pk": records[kind].pk}) if kind else reverse(name)


@pytest.mark.parametrize("name", sorted(set(RECORD_URLS) | OTHER_URLS))
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_requests_are_sent_to_sign_in(client, records, name, method):
    response = getattr(client, method)(url_for(name, records))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign-in"))


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_pages_open_without_signing_in(client, db, name):
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", sorted(RECORD_URLS))
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_user_of_another_agency_gets_404_for_records_not_shared_with_them(
    client, records, name, method
):
    outsider = UserFactory(agency=AgencyFactory(), role=Role.ADMINISTRATOR)
    client.force_login(outsider)
    assert getattr(client, method)(url_for(name, records)).status_code == 404


@pytest.mark.parametrize("name", sorted(RECORD_URLS))
def test_the_owning_agency_can_open_its_own_records(client, records, name):
    """The other half of the 404 test: the same URLs do work for the owner's administrator."""
    client.force_login(records["admin"])
    response = (
        client.get(url_for(name, records))
        if name != "accounts:user-set-active"
        else client.post(url_for(name, records))
    )
    assert response.status_code in (200, 302)
    assert response.status_code != 302 or not response.url.startswith(reverse("accounts:sign-in"))
