"""The endpoint-by-role-by-agency matrix: no page, search, count, export or API operation shows
another agency's unshared records to any role.

One agency holds a case about a person with a distinctive name, reference and postcode. Users
of every role in an unrelated agency visit every URL and API operation — lists and searches
asked for the marker, exports in every format, record URLs for that agency's records — and
the marker must never appear; record URLs must answer 404.
"""

import pytest
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory
from safehold.core.tests.readable import text_of
from safehold.core.tests.selection import in_this_pass
from safehold.core.tests.test_access import (
    API_URLS,
    OTHER_URLS,
    POST_ONLY,
    PRE_SIGN_IN,
    PUBLIC,
    RECORD_FACTORIES,
    RECORD_OPERATIONS,
    RECORD_URLS,
    SCHEMA_OPERATIONS,
    URL_KWARGS,
    _api_url,
)
from safehold.people.tests.factories import LocationFactory, PersonFactory

# Leak checks: on PostgreSQL they run with row-level security off (conftest.py, ADR 0067).
pytestmark = pytest.mark.gates_alone

MARK = "Qwxleakmark"
REFERENCE = "EXP-2099-9876"
POSTCODE = "SK9 9QW"
# Searches ask for a prefix that matches the marked records, so an echo of the user's own
# search words is not mistaken for a leak of the records themselves.
SEARCH = MARK[:7]
QUERY = {"q": SEARCH, "search": SEARCH, "query": SEARCH, "name": SEARCH, "record": "EXP-2099"}
FORMATS = [{}, {"format": "csv"}, {"format": "xlsx"}, {"format": "json"}]


@pytest.fixture
def world(db):
    """A home agency's marked records, plus one record of every kind for record URLs."""
    home = AgencyFactory()
    person = PersonFactory(owning_agency=home, family_name=MARK, given_name="Marked")
    location = LocationFactory(
        owning_agency=home, postcode=POSTCODE, address_line_1=f"1 {MARK} Street"
    )
    case = CaseFactory(
        programme=ProgrammeFactory(lead_agency=home),
        reference=REFERENCE,
        subject=person,
        location=location,
    )
    made = {kind: make(home) for kind, make in RECORD_FACTORIES.items()}
    made.update(case=case, person=person, location=location)
    return made


def assert_no_marker(response, where: str) -> None:
    # Read as a person would: an XLSX, zip or PDF is opened, not searched as compressed bytes
    # (where no marker is ever found). test_partial_sharing.py holds the positive controls.
    content = text_of(response)
    for secret in (MARK, REFERENCE, POSTCODE):
        assert secret not in content, f"{where} leaked {secret!r} ({response.status_code})"


@pytest.mark.parametrize("role", list(Role))
def test_no_page_list_search_or_export_leaks_another_agencys_records(client, world, role):
    client.force_login(UserFactory(agency=AgencyFactory(), role=role))
    for name in sorted(filter(in_this_pass, OTHER_URLS | PUBLIC | PRE_SIGN_IN)):
        url = reverse(name, kwargs=URL_KWARGS.get(name))
        for extra in FORMATS if name not in API_URLS else [{}]:
            response = client.get(url, {**QUERY, **extra})
            assert_no_marker(response, f"GET {url} {extra}")


@pytest.mark.parametrize("role", list(Role))
def test_every_record_url_is_404_for_every_role_of_another_agency(client, world, role):
    client.force_login(UserFactory(agency=AgencyFactory(), role=role))
    for name, kind in sorted(RECORD_URLS.items()):
        if not in_this_pass(name):
            continue
        url = reverse(name, kwargs={"pk": world[kind].pk})
        methods = ["post"] if name in POST_ONLY else ["get", "post"]
        for method in methods:
            if method == "post" and name in API_URLS:
                continue  # read-only API records answer 405 before looking
            response = getattr(client, method)(url)
            assert response.status_code == 404, (
                f"{method.upper()} {name} as {role}: {response.status_code}"
            )
            assert_no_marker(response, f"{method.upper()} {url}")


@pytest.mark.parametrize("role", list(Role))
def test_no_api_operation_leaks_another_agencys_records(client, world, role):
    client.force_login(UserFactory(agency=AgencyFactory(), role=role))
    for method, path in SCHEMA_OPERATIONS:
        if method != "GET" or not in_this_pass(path):
            continue
        if (method, path) in RECORD_OPERATIONS:
            kind = next(k for op, k in _operations() if op == f"{method} {path}")
            response = client.get(_api_url(path, kind, world))
            assert response.status_code == 404, f"{method} {path} as {role}"
        else:
            response = client.get(path, QUERY)
        assert_no_marker(response, f"{method} {path}")


def _operations():
    from safehold.core.tests.test_access import API_OPERATIONS

    return API_OPERATIONS.items()
