"""This app's URLs for the access test (safehold/core/tests/test_access.py)."""

RECORD_FACTORIES = {}
RECORD_URLS = {}
OTHER_URLS = {"audit:search", "audit:export"}
PUBLIC = set()
RECORD_QUERIES = {"audit:search": "record", "audit:export": "record"}
