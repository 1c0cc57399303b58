"""This app's URLs for the access test (safehold/core/tests/test_access.py)."""


def _police_run(agency):
    from safehold.accounts.choices import Role
    from safehold.accounts.tests.factories import UserFactory
    from safehold.imports.models import ImportRun

    return ImportRun.objects.create(
        kind="police",
        agency=agency,
        uploaded_by=UserFactory(agency=agency, role=Role.ANALYST),
        file_name="police.zip",
    )


RECORD_FACTORIES = {"police_run": _police_run}
RECORD_URLS: dict[str, str] = {
    "crime:police-upload-run": "police_run",
}
OTHER_URLS = {
    "crime:dashboard",
    "crime:dashboard-print",
    "crime:police-summary",
    "crime:police-trend",
    "crime:police-compare",
    "crime:police-top",
    "crime:police-seasonal",
    "crime:police-repeats",
    "crime:police-hotspots",
    "crime:ward-report",
    "crime:before-after",
    "crime:police-data",
    "crime:police-upload",
    "api:crime-summary",
    "api:crime-trend",
    "api:crime-compare",
    "api:crime-top",
    "api:crime-seasonal",
    "api:crime-repeats",
    "api:crime-hotspots",
}
# Pages whose URL names something other than a record (a ward by its ONS code).
URL_KWARGS = {"crime:ward-report": {"code": "E05000779"}}
PUBLIC: set[str] = set()
POST_ONLY: set[str] = set()
API_OPERATIONS: dict[str, str | None] = {
    "GET /api/v1/crime/summary/": None,
    "GET /api/v1/crime/trend/": None,
    "GET /api/v1/crime/compare/": None,
    "GET /api/v1/crime/top/": None,
    "GET /api/v1/crime/seasonal/": None,
    "GET /api/v1/crime/repeats/": None,
    "GET /api/v1/crime/hotspots/": None,
}
# police.uk data is open data: no page names a case, person or place (incident logs:
# safehold/incidents/tests/access.py).
NO_RECORDS = OTHER_URLS | set(API_OPERATIONS)
