"""Signing in the way a person does: the password, then a code from the authenticator app."""

import time

import pyotp
from django.urls import reverse

from safehold.accounts.models import TotpDevice
from safehold.accounts.tests.factories import PASSWORD, TotpDeviceFactory

SIGN_IN = reverse("accounts:sign-in")
TWO_FACTOR = reverse("accounts:two-factor")


def steady_step() -> None:
    """Wait out the last second of a 30-second step, so a code made now is checked in the same
    step (tests that count steps must not straddle a boundary)."""
    if time.time() % 30 > 29:
        time.sleep(30 - time.time() % 30 + 0.05)


def code_for(device: TotpDevice, steps_ago: int = 0) -> str:
    totp = pyotp.TOTP(device.secret)
    return totp.generate_otp(totp.timecode(time.time()) - steps_ago)


def enter_password(client, email: str, password: str = PASSWORD, **extra):
    return client.post(SIGN_IN, {"username": email, "password": password, **extra})


def sign_in(client, user, password: str = PASSWORD):
    """Both steps, with a confirmed authenticator app (made if the user has none); return the
    response to the last step."""
    device = TotpDevice.objects.filter(user=user).first() or TotpDeviceFactory(user=user)
    response = enter_password(client, user.email, password)
    if response.status_code != 302 or response.url != TWO_FACTOR:
        return response
    return client.post(TWO_FACTOR, {"code": code_for(device)})
