"""This app's URLs for the access test (safehold/core/tests/test_access.py)."""

RECORD_FACTORIES = {}
RECORD_URLS = {}
OTHER_URLS: set[str] = set()
# The health endpoint: for load balancers, no sign-in, no personal data (ADR 0062).
PUBLIC = {"upkeep:health"}
NO_RECORDS = PUBLIC
