"""At most five codes are checked per account in the lockout window, however they arrive: one
after another, in new sessions, or all at once (a probe got 12 of 60 parallel wrong codes
checked before the lock)."""

import datetime
import threading

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone

from safehold.accounts import services
from safehold.accounts.models import TotpDevice
from safehold.accounts.tests.factories import TotpDeviceFactory
from safehold.accounts.tests.signing_in import TWO_FACTOR, code_for, enter_password, steady_step


@pytest.fixture
def device(db):
    return TotpDeviceFactory()


def wrong_code(device) -> str:
    return "000000" if code_for(device) != "000000" else "111111"


def test_after_five_wrong_codes_even_the_right_one_is_not_checked(device):
    steady_step()
    user = device.user
    for _ in range(services.MAX_CODE_ATTEMPTS):
        assert services.verify_totp(user=user, code=wrong_code(device)) is False
    with pytest.raises(services.TooManyAttempts):
        services.verify_totp(user=user, code=code_for(device))
    with pytest.raises(services.TooManyAttempts):
        services.use_recovery_code(user=user, code="abcd-efgh")


def test_a_right_code_before_the_limit_works_and_starts_the_count_again(device):
    steady_step()
    user = device.user
    for _ in range(services.MAX_CODE_ATTEMPTS - 1):
        services.verify_totp(user=user, code=wrong_code(device))
    assert services.verify_totp(user=user, code=code_for(device)) is True  # the positive control
    device.refresh_from_db()
    assert (device.attempts, device.attempts_since) == (0, None)
    for _ in range(services.MAX_CODE_ATTEMPTS):
        assert services.verify_totp(user=user, code=wrong_code(device)) is False


def test_the_count_ends_with_the_lockout_window(device):
    steady_step()
    for _ in range(services.MAX_CODE_ATTEMPTS):
        services.verify_totp(user=device.user, code=wrong_code(device))
    TotpDevice.objects.filter(pk=device.pk).update(
        attempts_since=timezone.now() - datetime.timedelta(minutes=31)
    )
    assert services.verify_totp(user=device.user, code=code_for(device)) is True


@override_settings(AXES_ENABLED=False)
def test_new_sessions_share_the_limit_of_the_account(device):
    # Without django-axes, each new sign-in used to get five more codes.
    steady_step()
    for _ in range(services.MAX_CODE_ATTEMPTS):
        client = Client()
        enter_password(client, device.user.email)
        client.post(TWO_FACTOR, {"code": wrong_code(device)})
    client = Client()
    enter_password(client, device.user.email)
    response = client.post(TWO_FACTOR, {"code": code_for(device)})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def _on_own_connection(work):
    """Run `work` in a thread of its own: its own connection, committing as it goes (the
    test's connection is inside a transaction the other threads could not see into)."""
    result = []

    def run():
        try:
            result.append(work())
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    return result[0] if result else None


def test_parallel_wrong_codes_check_at_most_five(db):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time: real concurrency needs PostgreSQL")
    # Committed by another connection, so that every thread sees it; removed at the end. (A
    # transactional test cannot be used: its flush truncates the append-only audit table.)
    device = _on_own_connection(TotpDeviceFactory)
    try:
        steady_step()
        wrong, tries = wrong_code(device), 20
        barrier = threading.Barrier(tries)
        outcomes: list[str] = []

        def attempt():
            try:
                barrier.wait(timeout=30)
                services.verify_totp(user=device.user, code=wrong)
                outcomes.append("checked")
            except services.TooManyAttempts:
                outcomes.append("refused")
            finally:
                connection.close()  # each thread has its own connection

        threads = [threading.Thread(target=attempt) for _ in range(tries)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert len(outcomes) == tries
        assert outcomes.count("checked") == services.MAX_CODE_ATTEMPTS
        attempts = _on_own_connection(lambda: TotpDevice.objects.get(pk=device.pk).attempts)
        assert attempts == services.MAX_CODE_ATTEMPTS
    finally:
        _on_own_connection(lambda: device.user.delete() and device.user.agency.delete())
