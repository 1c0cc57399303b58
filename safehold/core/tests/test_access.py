"""The access test every module reuses: every URL the resolver knows is checked here.

Anonymous requests must be refused (redirected to sign-in), and a user of another agency must
get 404 for a record that was not shared with them. A URL added without an entry in its app's `tests/access.py` fails
`test_every_url_is_covered_by_the_access_test`, so nobody can forget a new page.

API URLs (under /api/) answer anonymous callers with 401 instead of a redirect, and every
operation of the OpenAPI schema is checked the same way (`API_OPERATIONS` in the registries).
"""

import importlib
import uuid

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from drf_spectacular.generators import SchemaGenerator

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.core.tests.selection import in_this_pass


def _registries():
    """Each app lists its URLs in `safehold/<app>/tests/access.py`."""
    for config in apps.get_app_configs():
        if config.name.startswith("safehold."):
            try:
                yield importlib.import_module(f"{config.name}.tests.access")
            except ModuleNotFoundError:
                continue


# Pages anyone may open.
PUBLIC: set[str] = set()
# Sign-in steps after the password (two-factor): without a correct password first, sign-in.
PRE_SIGN_IN: set[str] = set()
# Pages about one record: the kind of record their `pk` names.
RECORD_URLS: dict[str, str] = {}
# Pages about no single record (lists, searches, forms to add one).
OTHER_URLS: set[str] = set()
# How to make a record of each kind, owned by a given agency.
RECORD_FACTORIES: dict = {}
# Pages about one record that belongs to the whole partnership, not to one agency (e.g. a
# performance indicator): any agency's reader opens them; a role without permission gets 404.
PARTNERSHIP_URLS: dict[str, str] = {}
PARTNERSHIP_FACTORIES: dict = {}
POST_ONLY: set[str] = set()
# Pages whose URL takes something other than a record's pk (a ward code): the kwargs to use.
URL_KWARGS: dict[str, dict] = {}
# Every OpenAPI operation ("GET /api/v1/cases/{id}/") and the kind of record its {id} names.
API_OPERATIONS: dict[str, str | None] = {}
# The ?format= values a URL offers (its exports), each requested by the leak tests.
EXPORT_FORMATS: dict[str, tuple[str, ...]] = {}
# Pages that never show a record (forms, aggregates, analytics of open data): the leak tests'
# positive controls cannot find a marker on them, and say so unless they are listed here.
NO_RECORDS: set[str] = set()
# URLs that take a record's id in a query parameter (the audit search): the parameter's name.
RECORD_QUERIES: dict[str, str] = {}
# A module's records about a case, made on the leak tests' case (a function of the case), so its
# lists and exports show that case's markers to the positive controls (test_partial_sharing).
ON_CASE: dict = {}
for registry in _registries():
    PUBLIC |= registry.PUBLIC
    PRE_SIGN_IN |= getattr(registry, "PRE_SIGN_IN", set())
    RECORD_URLS |= registry.RECORD_URLS
    OTHER_URLS |= registry.OTHER_URLS
    RECORD_FACTORIES |= registry.RECORD_FACTORIES
    PARTNERSHIP_URLS |= getattr(registry, "PARTNERSHIP_URLS", {})
    PARTNERSHIP_FACTORIES |= getattr(registry, "PARTNERSHIP_FACTORIES", {})
    POST_ONLY |= getattr(registry, "POST_ONLY", set())
    URL_KWARGS |= getattr(registry, "URL_KWARGS", {})
    API_OPERATIONS |= getattr(registry, "API_OPERATIONS", {})
    EXPORT_FORMATS |= getattr(registry, "EXPORT_FORMATS", {})
    NO_RECORDS |= getattr(registry, "NO_RECORDS", set())
    RECORD_QUERIES |= getattr(registry, "RECORD_QUERIES", {})
    ON_CASE |= getattr(registry, "ON_CASE", {})

# API URLs answer for themselves (401, 404), they never redirect to the sign-in page.
API_PREFIX = "/api/"
API_URLS = {
    name
    for name in set(RECORD_URLS) | set(PARTNERSHIP_URLS) | OTHER_URLS
    if reverse(
        name,
        kwargs={"pk": uuid.uuid4()}
        if name in RECORD_URLS or name in PARTNERSHIP_URLS
        else URL_KWARGS.get(name),
    ).startswith(API_PREFIX)
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
    covered = PUBLIC | PRE_SIGN_IN | set(RECORD_URLS) | set(PARTNERSHIP_URLS) | OTHER_URLS
    assert all_url_names() - covered == set(), "add the new URL to test_access.py"
    assert covered - all_url_names() == set(), (
        "remove URLs that no longer exist from test_access.py"
    )


def url_for(name: str, records) -> str:
    kind = RECORD_URLS.get(name) or PARTNERSHIP_URLS.get(name)
    if kind:
        return reverse(name, kwargs={"pk": records[kind].pk})
    return reverse(name, kwargs=URL_KWARGS.get(name))


@pytest.mark.parametrize(
    "name", sorted((set(RECORD_URLS) | set(PARTNERSHIP_URLS) | OTHER_URLS | PRE_SIGN_IN) - API_URLS)
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_requests_are_sent_to_sign_in(client, records, name, method):
    response = getattr(client, method)(url_for(name, records))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign-in"))


@pytest.mark.parametrize("name", sorted(API_URLS))
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_api_requests_get_401_and_the_scheme_to_use(client, records, name, method):
    response = getattr(client, method)(url_for(name, records))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_pages_open_without_signing_in(client, db, name):
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize(
    ("name", "method"),
    [
        (name, method)
        for name in sorted(RECORD_URLS)
        for method in ("get", "post")
        # API record URLs are read-only: a POST there is 405 for everybody.
        if not (method == "post" and name in API_URLS)
    ],
)
@pytest.mark.gates_alone
def test_a_user_of_another_agency_gets_404_for_records_not_shared_with_them(
    client, records, name, method
):
    outsider = UserFactory(agency=AgencyFactory(), role=Role.ADMINISTRATOR)
    client.force_login(outsider)
    assert getattr(client, method)(url_for(name, records)).status_code == 404


@pytest.mark.owner_sees
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


@pytest.mark.parametrize("name", sorted(PARTNERSHIP_URLS))
def test_partnership_records_open_for_any_agency_and_not_for_a_role_without_permission(
    client, records, name
):
    client.force_login(UserFactory(agency=AgencyFactory(), role=Role.ADMINISTRATOR))
    assert client.get(url_for(name, records)).status_code == 200
    client.force_login(UserFactory(agency=AgencyFactory(), role=Role.REFERRER))
    assert client.get(url_for(name, records)).status_code == 404  # a refused record URL is 404


def _schema_operations() -> list[tuple[str, str]]:
    """Every (METHOD, path template) the OpenAPI schema describes."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return sorted(
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
    )


SCHEMA_OPERATIONS = _schema_operations()
RECORD_OPERATIONS = [(m, p) for m, p in SCHEMA_OPERATIONS if "{" in p]


def _api_url(path: str, kind: str | None, records) -> str:
    pk = records[kind].pk if kind else uuid.uuid4()
    return path.replace("{id}", str(pk))


def test_every_api_operation_is_covered_by_the_access_test():
    """Once an API exists, every OpenAPI operation: a new endpoint must be listed, with the kind
    of record its {id} names, in its app's `tests/access.py` (API_OPERATIONS)."""
    assert SCHEMA_OPERATIONS, "the OpenAPI schema describes no operations"
    operations = {f"{method} {path}" for method, path in SCHEMA_OPERATIONS}
    assert operations - set(API_OPERATIONS) == set(), "add the operation to API_OPERATIONS"
    assert set(API_OPERATIONS) - operations == set(), "remove operations that no longer exist"
    for operation, kind in API_OPERATIONS.items():
        has_id = "{" in operation
        assert has_id == (kind is not None), f"{operation}: name the record kind of its {{id}}"
        assert operation.replace("{id}", "").count("{") == 0, f"{operation}: unknown parameter"
        assert kind is None or kind in RECORD_FACTORIES, f"{operation}: no factory for {kind}"


@pytest.mark.parametrize(("method", "path"), SCHEMA_OPERATIONS)
def test_every_api_operation_refuses_anonymous_callers_with_401(client, records, method, path):
    kind = API_OPERATIONS.get(f"{method} {path}")
    response = client.generic(method, _api_url(path, kind, records))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.gates_alone
@pytest.mark.parametrize(("method", "path"), RECORD_OPERATIONS)
def test_every_api_record_operation_is_404_for_another_agency(client, records, method, path):
    kind = API_OPERATIONS[f"{method} {path}"]
    client.force_login(UserFactory(agency=AgencyFactory(), role=Role.ADMINISTRATOR))
    assert client.generic(method, _api_url(path, kind, records)).status_code == 404
    if method == "GET":  # the other half: the owner's administrator can read the same record
        client.force_login(records["admin"])
        assert client.generic(method, _api_url(path, kind, records)).status_code == 200


@pytest.mark.owner_sees
@pytest.mark.parametrize("role", list(Role))
def test_no_record_url_answers_403_to_any_role_of_the_holding_agency(client, records, role):
    """A role that may not act on a record gets 404, as a stranger does: a 403 would confirm
    that the record exists (issue 12, probe finding g)."""
    client.force_login(UserFactory(agency=records["agency"], role=role))
    refused = []
    for name in sorted(filter(in_this_pass, RECORD_URLS)):
        for method in ("get", "post"):
            if method == "post" and name in API_URLS:
                continue
            if getattr(client, method)(url_for(name, records)).status_code == 403:
                refused.append(f"{method.upper()} {name}")
    assert refused == [], refused
