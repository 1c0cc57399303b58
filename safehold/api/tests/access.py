"""The API's URLs for the access test (safehold/core/tests/test_access.py).

API URLs answer anonymous callers with 401 (not a redirect to sign-in). API_OPERATIONS names
every operation of the OpenAPI schema and the kind of record its `{id}` names (None when it
has none); the record kinds and their factories come from the other apps' registries.
"""

RECORD_FACTORIES: dict = {}
RECORD_URLS = {
    "api:person-detail": "person",
    "api:case-detail": "case",
    "api:referral-detail": "referral",
}
OTHER_URLS = {
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
    "GET /api/v1/cases/": None,
    "GET /api/v1/cases/{id}/": "case",
    "GET /api/v1/tasks/": None,
    "GET /api/v1/referrals/": None,
    "POST /api/v1/referrals/": None,
    "GET /api/v1/referrals/{id}/": "referral",
}
# The schema describes the API and holds no record.
NO_RECORDS = {"api:schema"}
