"""This app's URLs for the access test (safehold/core/tests/test_access.py).

Indicators, values and themes belong to the whole partnership, not to one agency: their pages
are PARTNERSHIP_URLS, which any agency's reader may open and a role without permission may not
(403), instead of RECORD_URLS' "another agency gets 404".
"""

from safehold.performance.tests.factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    ThemeFactory,
)


def _kpi_run(agency):
    from safehold.accounts.choices import Role
    from safehold.accounts.tests.factories import UserFactory
    from safehold.imports.models import ImportRun

    return ImportRun.objects.create(
        kind="kpi",
        agency=agency,
        uploaded_by=UserFactory(agency=agency, role=Role.ANALYST),
        file_name="values.csv",
    )


# An import run belongs to the agency that uploaded it (like every upload's run).
RECORD_FACTORIES: dict = {"kpi_run": _kpi_run}
RECORD_URLS: dict[str, str] = {"performance:import-run": "kpi_run"}
PARTNERSHIP_FACTORIES = {
    "indicator": IndicatorFactory,
    "indicator_value": IndicatorValueFactory,
    "theme": ThemeFactory,
}
PARTNERSHIP_URLS = {
    "performance:indicator": "indicator",
    "performance:indicator-change": "indicator",
    "performance:value-add": "indicator",
    "performance:value": "indicator_value",
    "performance:narrative": "theme",
}
OTHER_URLS = {
    "performance:report",
    "performance:indicators",
    "performance:indicator-add",
    "performance:import",
    "api:kpi-report",
}
PUBLIC: set[str] = set()
POST_ONLY: set[str] = set()
API_OPERATIONS: dict[str, str | None] = {"GET /api/v1/kpi/report/": None}
# Indicators and their values are partnership aggregates, never records.
NO_RECORDS = OTHER_URLS | set(API_OPERATIONS)
