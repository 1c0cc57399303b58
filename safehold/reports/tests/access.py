"""This app's URLs for the access test (safehold/core/tests/test_access.py)."""

RECORD_FACTORIES: dict = {}
RECORD_URLS: dict[str, str] = {}
OTHER_URLS = {"reports:evaluation", "reports:evaluation-settings", "api:report-evaluation"}
PUBLIC: set[str] = set()
POST_ONLY: set[str] = set()
API_OPERATIONS: dict[str, str | None] = {"GET /api/v1/reports/evaluation/": None}
# The evaluation report is aggregates (its counts are checked in test_partial_sharing.py).
NO_RECORDS = OTHER_URLS | set(API_OPERATIONS)
