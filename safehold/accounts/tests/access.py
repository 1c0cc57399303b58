"""This app's URLs for the access test (safehold/core/tests/test_access.py)."""

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory

RECORD_FACTORIES = {"user": lambda agency: UserFactory(agency=agency, role=Role.CASEWORKER)}
RECORD_URLS = {
    "accounts:user-set-active": "user",
    "accounts:user-reset-two-factor": "user",
    "accounts:user-change": "user",
    "accounts:user-disable": "user",
}
OTHER_URLS = {
    "accounts:sign-out",
    "accounts:user-list",
    "accounts:recovery-codes",
    "accounts:two-factor-manage",
    "accounts:user-add",
}
PUBLIC = {"accounts:sign-in", "accounts:signed-out"}
# The two-factor steps: open only to a session that has just passed the password step
# (test_no_bypass.py); anyone else is sent to sign-in.
PRE_SIGN_IN = {"accounts:two-factor", "accounts:two-factor-set-up", "accounts:two-factor-recovery"}
# Record URLs that only accept POST (the owner check posts to them).
POST_ONLY = {"accounts:user-set-active"}
# Sign-in steps and staff accounts: no case, person or place is ever shown.
NO_RECORDS = PUBLIC | PRE_SIGN_IN | {
    "accounts:recovery-codes", "accounts:sign-out", "accounts:two-factor-manage",
    "accounts:user-list", "accounts:user-add",
}  # fmt: skip
