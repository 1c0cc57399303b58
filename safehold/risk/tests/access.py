"""This app's URLs for the shared access, leak and axe tests (safehold/core/tests/test_access.py).

The top indicators list has no pages yet (its engine, the command line and their tests came
first: issue 18); the list page, the review and the indicators page will be listed here."""

RECORD_FACTORIES: dict = {}
RECORD_URLS: dict[str, str] = {}
OTHER_URLS: set[str] = set()
PUBLIC: set[str] = set()
API_OPERATIONS: dict = {}

# TO MERGE BY HAND: the backtest and fairness report pages (riskback branch).
from safehold.risk.tests import access_reports  # noqa: E402

OTHER_URLS |= access_reports.OTHER_URLS
NO_RECORDS: set[str] = set(access_reports.NO_RECORDS)
EXPORT_FORMATS: dict = dict(access_reports.EXPORT_FORMATS)
