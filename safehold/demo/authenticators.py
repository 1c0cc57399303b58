"""The demo users' authenticator apps, enrolled when the demo is loaded, so that a newcomer
signs in with two commands (`safehold demo sign-ins`, then `safehold demo code EMAIL` for the
code the sign-in asks for) rather than scanning a QR code for an invented user."""

import pyotp
from django.db import transaction

from safehold.accounts import services as accounts
from safehold.accounts.models import User

# Only the demo's invented users: a real user's code must come from their own phone.
DEMO_EMAIL_SUFFIX = ".demo.safehold.test"


@transaction.atomic
def enrol(emails: list[str]) -> int:
    """Give each demo user without an authenticator app one; return how many were enrolled.
    A user whose two-factor sign-in was reset keeps it reset until the next `demo load`."""
    users = User.objects.filter(
        email__in=[e for e in emails if e.endswith(DEMO_EMAIL_SUFFIX)], totp_device__isnull=True
    )
    enrolled = 0
    for user in users:
        accounts.enrol_authenticator(user=user, secret=pyotp.random_base32(), by=None)
        enrolled += 1
    return enrolled
