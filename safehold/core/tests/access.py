"""This app's URLs for the access test (safehold/core/tests/test_access.py)."""

RECORD_FACTORIES = {}
RECORD_URLS = {}
OTHER_URLS = {"core:home"}
PUBLIC = set()
# The home page shows counts of the user's own work, never a record.
NO_RECORDS = {"core:home"}
