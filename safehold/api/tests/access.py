"""The API's URLs for the access test (safehold/core/tests/test_access.py).

API URLs answer anonymous callers with 401 (not a redirect to sign-in). API_OPERATIONS names
every operation of the OpenAPI schema and the kind of record its `{id}` names (None when it
has none); the record kinds and their factories come from the other apps' registries.
"""


def _token(agency):
    from safehold.accounts.tests.factories import UserFactory
    from safehold.api import services

    token, _ = services.create_token(user=UserFactory(agency=agency), name="Partner", by=None)
    return token


RECORD_FACTORIES = {"token": _token}
RECORD_URLS = {
    "tokens:revoke": "token",
    "api:person-detail": "person",
    "api:case-detail": "case",
    "api:referral-detail": "referral",
}
OTHER_URLS = {
    "tokens:list",
    "tokens:create",
    "api:schema",
    "api:person-list",
    "api:case-list",
    "api:task-list",
    "api:referral-list",
}
PUBLIC: set[str] = set()
API_OPERATIONS = {
    "GET /api/v1/people/": None,
    "GET /api/v1/people/{id}/": "person",
    "PATCH /api/v1/people/{id}/": "person",
    "GET /api/v1/cases/": None,
    "GET /api/v1/cases/{id}/": "case",
    "PATCH /api/v1/cases/{id}/": "case",
    "GET /api/v1/tasks/": None,
    "GET /api/v1/referrals/": None,
    "POST /api/v1/referrals/": None,
    "GET /api/v1/referrals/{id}/": "referral",
}
# The schema describes the API and holds no record.
# The schema and the token pages show no case, person or place.
NO_RECORDS = {"api:schema", "tokens:list", "tokens:create"}
