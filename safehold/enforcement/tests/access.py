"""This app's URLs for the shared access tests (safehold/core/tests/test_access.py): the bundle
page of a closure order, with a factory for one held by an agency (with its documents)."""

from safehold.enforcement.tests.factories import bundle_action

RECORD_FACTORIES = {"bundle_action": bundle_action}
RECORD_URLS = {"enforcement:bundle": "bundle_action"}
OTHER_URLS: set[str] = set()
PUBLIC: set[str] = set()
