"""Two-factor sign-in (ADR 0007): a password alone signs nobody in; a code from the
authenticator app (or a recovery code) finishes the sign-in."""

import html
import re
import time

import pyotp
import pytest
from django.test import Client, override_settings
from django.urls import reverse

from safehold.accounts import services
from safehold.accounts.choices import Role
from safehold.accounts.models import RecoveryCode, TotpDevice
from safehold.accounts.tests.factories import TotpDeviceFactory, UserFactory
from safehold.accounts.tests.signing_in import (
    SIGN_IN,
    TWO_FACTOR,
    code_for,
    enter_password,
    sign_in,
    steady_step,
)
from safehold.accounts.views import PENDING
from safehold.audit.choices import Action
from safehold.audit.models import AuditEvent

SET_UP = reverse("accounts:two-factor-set-up")
RECOVERY = reverse("accounts:two-factor-recovery")
RECOVERY_CODES = reverse("accounts:recovery-codes")
MANAGE = reverse("accounts:two-factor-manage")
HOME = reverse("core:home")
CODE_FORMAT = re.compile(r"^[a-z2-9]{4}-[a-z2-9]{4}$")


@pytest.fixture
def device(caseworker):
    return TotpDeviceFactory(user=caseworker)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def set_up(client, user, steps_ago: int = 0) -> list[str]:
    """First sign-in: password, the secret from the set-up page, a code; the recovery codes."""
    enter_password(client, user.email)
    page = client.get(SET_UP).content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    response = client.post(SET_UP, {"code": pyotp.TOTP(secret).at(time.time() - 30 * steps_ago)})
    assert response.status_code == 302 and response.url == RECOVERY_CODES
    page = client.get(RECOVERY_CODES).content.decode()
    return re.findall(r"<code>([a-z0-9-]+)</code>", page)


def test_a_correct_password_alone_does_not_sign_in(client, device):
    response = enter_password(client, device.user.email)
    assert response.status_code == 302 and response.url == TWO_FACTOR
    assert not signed_in(client)
    assert client.get(HOME).url.startswith(SIGN_IN)
    assert not AuditEvent.objects.filter(action=Action.LOGIN).exists()


def test_the_first_sign_in_sets_up_the_app_and_shows_ten_recovery_codes_once(client, caseworker):
    response = enter_password(client, caseworker.email)
    assert response.url == SET_UP
    page = client.get(SET_UP).content.decode()
    assert '<svg role="img" aria-label="QR code' in page
    assert 'autocomplete="one-time-code"' in page
    codes = set_up(client, caseworker)
    assert signed_in(client)
    assert len(codes) == 10 and all(CODE_FORMAT.match(c) for c in codes)
    assert AuditEvent.objects.filter(action=Action.LOGIN, actor=caseworker).count() == 1
    assert AuditEvent.objects.filter(
        action=Action.ALTER, actor=caseworker, purpose__startswith="two-factor set up"
    ).exists()
    # Only salted hashes are kept.
    stored = list(RecoveryCode.objects.filter(user=caseworker).values_list("code_hash", flat=True))
    assert len(stored) == 10 and not any(
        c in h or c.replace("-", "") in h for c in codes for h in stored
    )
    response = client.post(RECOVERY_CODES)
    assert response.url == HOME
    assert client.get(RECOVERY_CODES).url == MANAGE  # shown once


def test_the_set_up_page_keeps_its_secret_until_confirmed(client, caseworker):
    enter_password(client, caseworker.email)
    client.get(SET_UP)
    secret = TotpDevice.objects.get(user=caseworker).secret
    client.get(SET_UP)
    device = TotpDevice.objects.get(user=caseworker)
    assert device.secret == secret and device.confirmed_at is None


def test_set_up_refuses_a_wrong_code(client, caseworker):
    enter_password(client, caseworker.email)
    client.get(SET_UP)
    response = client.post(SET_UP, {"code": "000000"})
    assert "The code is not correct or has expired" in response.content.decode()
    assert not signed_in(client)
    assert TotpDevice.objects.get(user=caseworker).confirmed_at is None


def test_once_set_up_the_next_sign_in_asks_for_a_code_not_set_up(client, device):
    enter_password(client, device.user.email)
    assert client.get(SET_UP).url == TWO_FACTOR
    assert TotpDevice.objects.get(user=device.user).secret == device.secret


def test_the_right_code_signs_in_and_goes_where_the_user_was_going(client, device):
    people = reverse("people:list")
    client.post(SIGN_IN + f"?next={people}", {
        "username": device.user.email, "password": "correct horse battery staple", "next": people,
    })  # fmt: skip
    response = client.post(TWO_FACTOR, {"code": code_for(device)})
    assert response.status_code == 302 and response.url == people
    assert signed_in(client)
    assert AuditEvent.objects.filter(action=Action.LOGIN, actor=device.user).count() == 1


def test_a_wrong_code_is_refused_and_audited(client, device):
    enter_password(client, device.user.email)
    response = client.post(TWO_FACTOR, {"code": "000000" if code_for(device) != "000000" else "1"})
    page = response.content.decode()
    assert response.status_code == 200 and "The code is not correct or has expired" in page
    assert not signed_in(client)
    event = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert event.purpose == "wrong two-factor code" and event.outcome == "denied"
    assert event.actor_label == device.user.email


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Enter the 6-digit code from your authenticator app"),
        ("12345", "The code must be 6 numbers"),
        ("abcdef", "The code must be 6 numbers"),
    ],
)
def test_a_missing_or_malformed_code_says_what_to_enter_and_counts_for_nothing(
    client, device, code, message
):
    enter_password(client, device.user.email)
    page = client.post(TWO_FACTOR, {"code": code}).content.decode()
    assert message in page and "govuk-error-summary" in page
    assert not AuditEvent.objects.filter(action=Action.LOGIN_FAILED).exists()


def test_spaces_in_a_code_are_ignored(client, device):
    enter_password(client, device.user.email)
    code = code_for(device)
    client.post(TWO_FACTOR, {"code": f"{code[:3]} {code[3:]}"})
    assert signed_in(client)


def test_the_previous_code_is_still_accepted_but_not_an_older_one(client, device):
    steady_step()
    enter_password(client, device.user.email)
    client.post(TWO_FACTOR, {"code": code_for(device, steps_ago=2)})
    assert not signed_in(client)
    client.post(TWO_FACTOR, {"code": code_for(device, steps_ago=1)})
    assert signed_in(client)


def test_a_code_cannot_be_used_twice(client, device):
    steady_step()
    code = code_for(device)
    enter_password(client, device.user.email)
    client.post(TWO_FACTOR, {"code": code})
    assert signed_in(client)
    other = Client()
    enter_password(other, device.user.email)
    response = other.post(TWO_FACTOR, {"code": code})
    assert "The code is not correct or has expired" in response.content.decode()
    assert "_auth_user_id" not in other.session
    # Nor can the code of the step before it, once a later step has been used.
    response = other.post(TWO_FACTOR, {"code": code_for(device, steps_ago=1)})
    assert "_auth_user_id" not in other.session


def test_five_wrong_codes_lock_the_account_like_five_wrong_passwords(client, device):
    enter_password(client, device.user.email)
    wrong = "000000" if code_for(device) != "000000" else "111111"
    for _ in range(4):
        assert client.post(TWO_FACTOR, {"code": wrong}).status_code == 200
    response = client.post(TWO_FACTOR, {"code": wrong})
    assert response.status_code == 429 and "Your account is locked" in response.content.decode()
    assert PENDING not in client.session
    assert client.get(TWO_FACTOR).url == SIGN_IN
    # The right password (and then the right code) is refused for the lockout's duration.
    assert enter_password(client, device.user.email).status_code == 429
    assert (
        AuditEvent.objects.filter(
            action=Action.LOGIN_FAILED, purpose="wrong two-factor code"
        ).count()
        == 5
    )


def test_a_lockout_also_ends_other_half_signed_in_sessions(client, device):
    enter_password(client, device.user.email)
    other = Client()
    enter_password(other, device.user.email)
    wrong = "000000" if code_for(device) != "000000" else "111111"
    for _ in range(5):
        client.post(TWO_FACTOR, {"code": wrong})
    response = other.post(TWO_FACTOR, {"code": code_for(device)})
    assert response.status_code == 429
    assert "_auth_user_id" not in other.session and PENDING not in other.session


@override_settings(AXES_ENABLED=False)
def test_five_wrong_codes_end_the_attempt_even_without_the_account_lockout(client, device):
    enter_password(client, device.user.email)
    wrong = "000000" if code_for(device) != "000000" else "111111"
    for _ in range(4):
        client.post(TWO_FACTOR, {"code": wrong})
    response = client.post(TWO_FACTOR, {"code": wrong})
    assert response.status_code == 302 and response.url == SIGN_IN
    assert PENDING not in client.session
    page = client.get(SIGN_IN).content.decode()
    assert "You entered too many wrong codes. Sign in again." in page


def test_the_half_signed_in_state_ends_after_ten_minutes(client, device):
    enter_password(client, device.user.email)
    session = client.session
    session[PENDING] = {**session[PENDING], "since": time.time() - 10 * 60 - 1}
    session.save()
    response = client.post(TWO_FACTOR, {"code": code_for(device)})
    assert response.status_code == 302 and response.url == SIGN_IN
    assert not signed_in(client) and PENDING not in client.session


def test_a_password_change_ends_the_half_signed_in_state(client, device):
    enter_password(client, device.user.email)
    device.user.set_password("a different long password")
    device.user.save()
    client.post(TWO_FACTOR, {"code": code_for(device)})
    assert not signed_in(client)


def test_a_disabled_user_cannot_finish_signing_in(client, device):
    enter_password(client, device.user.email)
    device.user.is_active = False
    device.user.save()
    client.post(TWO_FACTOR, {"code": code_for(device)})
    assert not signed_in(client)


@pytest.mark.parametrize("url", [TWO_FACTOR, SET_UP, RECOVERY])
def test_the_two_factor_pages_need_a_correct_password_first(client, device, url):
    for method in (client.get, client.post):
        response = method(url, {"code": code_for(device)} if method == client.post else None)
        assert response.status_code == 302 and response.url == SIGN_IN
    assert not signed_in(client)


def test_a_recovery_code_signs_in_once_and_says_how_many_are_left(client, caseworker):
    codes = set_up(client, caseworker)
    client.post(reverse("accounts:sign-out"))
    enter_password(client, caseworker.email)
    response = client.post(RECOVERY, {"code": codes[0].upper().replace("-", " ")})
    assert response.status_code == 302 and signed_in(client)
    assert "You have 9 recovery codes left" in client.get(response.url).content.decode()
    assert RecoveryCode.objects.filter(user=caseworker, used_at__isnull=False).count() == 1
    assert AuditEvent.objects.filter(
        action=Action.ALTER, actor=caseworker, purpose="recovery code used to sign in; 9 left"
    ).exists()
    client.post(reverse("accounts:sign-out"))
    enter_password(client, caseworker.email)
    response = client.post(RECOVERY, {"code": codes[0]})
    page = response.content.decode()
    assert "The recovery code is not correct or has already been used" in page
    assert not signed_in(client)
    assert AuditEvent.objects.filter(
        action=Action.LOGIN_FAILED, purpose="wrong recovery code"
    ).exists()


def test_the_last_recovery_code_leads_to_making_new_ones(client, caseworker):
    codes = set_up(client, caseworker)
    for code in codes[1:]:
        services.use_recovery_code(user=caseworker, code=code)
    client.post(reverse("accounts:sign-out"))
    enter_password(client, caseworker.email)
    response = client.post(RECOVERY, {"code": codes[0]})
    assert signed_in(client) and response.url == MANAGE
    page = client.get(MANAGE).content.decode()
    assert "You have used your last recovery code" in page and "0 left" in page
    assert "ask your organisation's Safehold administrator to reset" in page


def test_an_empty_recovery_code_says_what_to_enter(client, device):
    enter_password(client, device.user.email)
    page = client.post(RECOVERY, {"code": ""}).content.decode()
    assert "Enter a recovery code" in page


def test_new_recovery_codes_need_a_current_code_and_replace_the_old_ones(client, caseworker):
    steady_step()
    old = set_up(client, caseworker, steps_ago=1)  # so the current step's code is still unused
    client.post(RECOVERY_CODES)
    device = TotpDevice.objects.get(user=caseworker)
    page = client.post(MANAGE, {"code": "000000"}).content.decode()
    assert "The code is not correct or has expired" in page
    response = client.post(MANAGE, {"code": code_for(device)})
    assert response.url == RECOVERY_CODES
    new = re.findall(r"<code>([a-z0-9-]+)</code>", client.get(RECOVERY_CODES).content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert client.post(RECOVERY_CODES).url == MANAGE
    assert AuditEvent.objects.filter(
        action=Action.ALTER, actor=caseworker, purpose__startswith="recovery codes replaced"
    ).exists()
    client.post(reverse("accounts:sign-out"))
    enter_password(client, caseworker.email)
    client.post(RECOVERY, {"code": old[0]})
    assert not signed_in(client)
    client.post(RECOVERY, {"code": new[0]})
    assert signed_in(client)


def test_the_two_factor_page_shows_what_is_set_up(client, device):
    client.force_login(device.user)
    page = client.get(MANAGE).content.decode()
    assert "Two-factor sign-in" in page and "Create new recovery codes" in page


@pytest.fixture
def admin(caseworker):
    return UserFactory(agency=caseworker.agency, role=Role.ADMINISTRATOR)


def test_an_administrator_resets_two_factor_after_a_confirmation_page(client, device, admin):
    user = device.user
    RecoveryCode.objects.create(user=user, code_hash="x")
    user_client = Client()
    sign_in(user_client, user)
    assert user_client.get(HOME).status_code == 200
    client.force_login(admin)
    assert "Reset two-factor" in client.get(reverse("accounts:user-list")).content.decode()
    url = reverse("accounts:user-reset-two-factor", args=[user.pk])
    page = html.unescape(client.get(url).content.decode())  # names such as O'Brien
    assert f"Reset two-factor sign-in for {html.escape(user.full_name)}?" in page
    assert TotpDevice.objects.filter(user=user).exists()  # a GET changes nothing
    response = client.post(url)
    assert response.url == reverse("accounts:user-list")
    assert not TotpDevice.objects.filter(user=user).exists()
    assert not RecoveryCode.objects.filter(user=user).exists()
    assert user_client.get(HOME).status_code == 302  # signed out at once
    event = AuditEvent.objects.get(action=Action.ALTER, actor=admin, object_ids=str(user.pk))
    assert event.purpose == "two-factor reset; 1 session(s) ended"
    # They set it up again at their next sign-in.
    assert enter_password(user_client, user.email).url == SET_UP


def test_administrators_cannot_reset_their_own_two_factor(client, admin):
    TotpDeviceFactory(user=admin)
    client.force_login(admin)
    client.post(reverse("accounts:user-reset-two-factor", args=[admin.pk]))
    assert TotpDevice.objects.filter(user=admin).exists()


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.SUPERVISOR, Role.IG_OFFICER])
def test_only_administrators_reset_two_factor(client, device, role):
    client.force_login(UserFactory(agency=device.user.agency, role=role))
    url = reverse("accounts:user-reset-two-factor", args=[device.user.pk])
    assert client.get(url).status_code == 404  # not 403: no hint that the account exists
    assert client.post(url).status_code == 404
    assert TotpDevice.objects.filter(user=device.user).exists()


def test_administrators_cannot_reset_users_of_another_agency(client, admin):
    outsider = TotpDeviceFactory().user
    client.force_login(admin)
    response = client.post(reverse("accounts:user-reset-two-factor", args=[outsider.pk]))
    assert response.status_code == 404
    assert TotpDevice.objects.filter(user=outsider).exists()


def test_five_wrong_codes_for_new_recovery_codes_sign_the_user_out(client, device):
    client.force_login(device.user)
    wrong = "000000" if code_for(device) != "000000" else "111111"
    for _ in range(4):
        assert client.post(MANAGE, {"code": wrong}).status_code == 200
    response = client.post(MANAGE, {"code": wrong})
    assert response.status_code == 429
    assert not signed_in(client)
    assert RecoveryCode.objects.filter(user=device.user).count() == 0
