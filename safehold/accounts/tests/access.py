"""This app's URLs for the access test (safehold/core/tests/test_access.py)."""

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory

RECORD_FACTORIES = {"user": lambda agency: UserFactory(agency=agency, role=Role.CASEWORKER)}
RECORD_URLS = {"accounts:user-set-active": "user"}
OTHER_URLS = {"accounts:sign-out", "accounts:user-list"}
PUBLIC = {"accounts:sign-in", "accounts:signed-out"}
# Record URLs that only accept POST (the owner check posts to them).
POST_ONLY = {"accounts:user-set-active"}
