"""This app's URLs for the shared access, leak and axe tests (safehold/core/tests/test_access.py).

The top indicators list has no pages yet (its engine, the command line and their tests came
first: issue 18); the list page, the review and the indicators page will be listed here."""

RECORD_FACTORIES: dict = {}
RECORD_URLS: dict[str, str] = {}
OTHER_URLS: set[str] = set()
PUBLIC: set[str] = set()
API_OPERATIONS: dict = {}
