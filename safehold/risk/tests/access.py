"""This app's URLs for the shared access, leak and axe tests (safehold/core/tests/test_access.py).

The list and an entry are computed, not stored records: an entry is named by its subject
reference in the query (`risk:entry?subject=…`), so the pages are OTHER_URLS; without a subject
the entry page is a 404 (tested with and without one in test_review.py, where the holder sees
the entry the stranger does not). The list shows the leak tests' person when they meet an
indicator (a vulnerability flag), through the people gate. The decisions page lists the
agency's own reviews; the indicators page is the catalogue, no record."""

RECORD_FACTORIES: dict = {}
RECORD_URLS: dict[str, str] = {}
OTHER_URLS = {
    "risk:list", "risk:entry", "risk:reviews", "risk:indicators", "risk:backtest",
    "risk:fairness", "api:risk-list",
}  # fmt: skip
PUBLIC: set[str] = set()
EXPORT_FORMATS = {
    "risk:list": ("csv", "xlsx"),
    "risk:backtest": ("csv", "json"),
    "risk:fairness": ("csv", "json"),
}
# The backtest and fairness report show counts only, never a record.
NO_RECORDS = {"risk:entry", "risk:reviews", "risk:indicators", "risk:backtest", "risk:fairness"}
API_OPERATIONS = {"GET /api/v1/risk/list/": None}
