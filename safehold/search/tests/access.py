"""This app's URLs for the access test (safehold/core/tests/test_access.py): the results page
names no record in its path; the leak matrix searches it for the marked records."""

RECORD_FACTORIES: dict = {}
RECORD_URLS: dict = {}
OTHER_URLS = {"search:results"}
PUBLIC: set[str] = set()
