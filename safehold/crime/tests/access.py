"""This app's URLs for the access test (safehold/core/tests/test_access.py)."""

RECORD_FACTORIES: dict = {}
RECORD_URLS: dict[str, str] = {}
OTHER_URLS = {
    "api:crime-summary",
    "api:crime-trend",
    "api:crime-compare",
    "api:crime-top",
    "api:crime-seasonal",
    "api:crime-repeats",
}
PUBLIC: set[str] = set()
POST_ONLY: set[str] = set()
API_OPERATIONS: dict[str, str | None] = {
    "GET /api/v1/crime/summary/": None,
    "GET /api/v1/crime/trend/": None,
    "GET /api/v1/crime/compare/": None,
    "GET /api/v1/crime/top/": None,
    "GET /api/v1/crime/seasonal/": None,
    "GET /api/v1/crime/repeats/": None,
}
