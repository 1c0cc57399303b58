"""This app's URLs for the access test (safehold/core/tests/test_access.py).

The "case" and "person" record kinds come from the cases and people registries.
"""

from safehold.monitoring.tests.factories import AlertFactory

RECORD_FACTORIES = {"alert": lambda agency: AlertFactory(agency=agency)}
RECORD_URLS = {
    "monitoring:case-views": "case",
    "monitoring:person-views": "person",
    "monitoring:alert-detail": "alert",
}
OTHER_URLS = {"monitoring:alert-list"}
PUBLIC: set[str] = set()
# Alerts are about staff who viewed many records, not about the records.
NO_RECORDS = {"monitoring:alert-list"}
