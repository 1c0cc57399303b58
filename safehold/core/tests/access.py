"""This app's URLs for the access test (safehold/core/tests/test_access.py)."""

RECORD_FACTORIES = {}
RECORD_URLS = {}
OTHER_URLS = {"core:home"}
PUBLIC = set()
# The home page is the user's work (ADR 0039): it shows their cases' and tasks' references, so
# the leak tests' positive controls find the markers there.
NO_RECORDS: set[str] = set()
