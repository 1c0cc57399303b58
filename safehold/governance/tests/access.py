"""This app's URLs for the access test (safehold/core/tests/test_access.py).

The "person", "case" and "referral" kinds come from the people and cases registries.
"""

from safehold.governance.tests.factories import legal_hold, subject_access_request

RECORD_FACTORIES = {
    "subject_access_request": subject_access_request,
    "legal_hold": legal_hold,
}
RECORD_URLS = {
    "governance:subject-access": "person",
    "governance:sar-detail": "subject_access_request",
    "governance:sar-download": "subject_access_request",
    "governance:hold-person": "person",
    "governance:hold-case": "case",
    "governance:hold-lift": "legal_hold",
    "governance:retain-case": "case",
    "governance:retain-referral": "referral",
    "governance:retain-person": "person",
    "governance:erase-case": "case",
    "governance:erase-referral": "referral",
    "governance:erase-person": "person",
}
OTHER_URLS = {
    "governance:index",
    "governance:sar-list",
    "governance:holds",
    "governance:retention",
    "governance:policies",
    "governance:erasures",
}
PUBLIC: set[str] = set()
POST_ONLY: set[str] = set()
# The overview, retention rules and the erasure log (which keeps no personal data).
NO_RECORDS = {"governance:erasures", "governance:index", "governance:policies"}
