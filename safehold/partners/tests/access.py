"""This app's URLs for the shared access, leak and axe tests (safehold/core/tests/test_access.py).

The list shows the user's own agency's extracts (kind, date, file, agreement, counts: no person,
case or place); the upload page is a form. Neither names a record of another agency."""

OTHER_URLS = {"partners:extracts", "partners:upload"}
RECORD_FACTORIES: dict = {}
RECORD_URLS: dict[str, str] = {}
PUBLIC: set[str] = set()
NO_RECORDS = {"partners:extracts", "partners:upload"}
