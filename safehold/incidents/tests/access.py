"""This app's URLs for the access test (safehold/core/tests/test_access.py)."""


def _incident_run(agency):
    from safehold.accounts.choices import Role
    from safehold.accounts.tests.factories import UserFactory
    from safehold.imports.models import ImportRun

    return ImportRun.objects.create(
        kind="incidents",
        agency=agency,
        uploaded_by=UserFactory(agency=agency, role=Role.ANALYST),
        file_name="incidents.csv",
    )


RECORD_FACTORIES = {"incident_run": _incident_run}
RECORD_URLS: dict[str, str] = {"crime:incidents-upload-run": "incident_run"}
OTHER_URLS = {
    "crime:incidents",
    "crime:incidents-heatmap",
    "crime:incidents-seasonal",
    "crime:incidents-hotspots",
    "crime:incidents-print",
    "crime:incidents-upload",
    "api:crime-incidents-heatmap",
    "api:crime-incidents-seasonal",
    "api:crime-incidents-hotspots",
}
URL_KWARGS: dict[str, dict] = {}
PUBLIC: set[str] = set()
POST_ONLY: set[str] = set()
API_OPERATIONS: dict[str, str | None] = {
    "GET /api/v1/crime/incidents/heatmap/": None,
    "GET /api/v1/crime/incidents/seasonal/": None,
    "GET /api/v1/crime/incidents/hotspots/": None,
}
# Partner incident logs are shown only as counts, heat maps and hot spots: no page names a
# case, person or place.
NO_RECORDS = OTHER_URLS | set(API_OPERATIONS)
