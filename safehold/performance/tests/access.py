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

RECORD_FACTORIES: dict = {}
RECORD_URLS: dict[str, str] = {}
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
