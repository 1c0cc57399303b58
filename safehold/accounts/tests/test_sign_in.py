import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from safehold.accounts.choices import Role
from safehold.accounts.receivers import SIGNED_IN_AT
from safehold.accounts.tests.factories import UserFactory
from safehold.accounts.tests.signing_in import SIGN_IN, enter_password, sign_in
from safehold.audit.choices import Action
from safehold.audit.models import AuditEvent


def test_passwords_are_hashed_with_argon2(caseworker):
    assert caseworker.password.startswith("argon2$")


def test_signing_in_goes_home_and_is_audited(client, caseworker):
    response = sign_in(client, caseworker)
    assert response.status_code == 302 and response.url == reverse("core:home")
    event = AuditEvent.objects.get(action=Action.LOGIN)
    assert event.actor == caseworker and event.actor_agency == caseworker.agency


def test_a_wrong_password_gets_a_design_system_error_and_a_failed_sign_in_event(client, caseworker):
    response = enter_password(client, caseworker.email, "not the password")
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.content.decode()
    event = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert event.actor_label == caseworker.email and event.outcome == "denied"


def test_an_empty_form_says_what_to_enter(client, db):
    page = client.post(SIGN_IN, {"username": "", "password": ""}).content.decode()
    assert "Enter your email address" in page and "Enter your password" in page


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client, caseworker):
    for _ in range(5):
        enter_password(client, caseworker.email, "wrong password")
    response = enter_password(client, caseworker.email)
    assert response.status_code == 429
    assert "Your account is locked" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_signing_out_ends_the_session_and_is_audited(client, caseworker):
    sign_in(client, caseworker)
    response = client.post(reverse("accounts:sign-out"))
    assert response.url == reverse("accounts:signed-out")
    assert AuditEvent.objects.filter(action=Action.LOGOUT, actor=caseworker).count() == 1
    assert client.get(reverse("core:home")).status_code == 302


def test_sessions_expire_after_30_idle_minutes(client, caseworker):
    sign_in(client, caseworker)
    assert client.session.get_expiry_age() == 30 * 60
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and response.url.startswith(SIGN_IN)


def test_activity_renews_the_idle_timeout(client, caseworker):
    sign_in(client, caseworker)
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + timedelta(minutes=1)
    )
    assert client.get(reverse("core:home")).status_code == 200
    renewed = Session.objects.get(session_key=key).expire_date
    assert renewed > timezone.now() + timedelta(minutes=29)


def test_sessions_end_12_hours_after_sign_in_however_active(client, caseworker):
    sign_in(client, caseworker)
    session = client.session
    session[SIGNED_IN_AT] = time.time() - 12 * 60 * 60 - 1
    session.save()
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and response.url == SIGN_IN
    assert "_auth_user_id" not in client.session


def test_disabling_a_user_ends_their_sessions_at_once(client, caseworker, django_user_model):
    from django.test import Client

    admin = UserFactory(agency=caseworker.agency, role=Role.ADMINISTRATOR)
    sign_in(client, caseworker)
    assert client.get(reverse("core:home")).status_code == 200
    admin_client = Client()
    admin_client.force_login(admin)
    response = admin_client.post(reverse("accounts:user-set-active", args=[caseworker.pk]))
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 302
    assert enter_password(client, caseworker.email).status_code == 200  # refused: disabled
    caseworker.refresh_from_db()
    assert not caseworker.is_active
    assert AuditEvent.objects.filter(
        action=Action.ALTER, object_ids=str(caseworker.pk), actor=admin
    ).exists()


def test_administrators_cannot_disable_users_of_another_agency(
    client, caseworker, other_agency_caseworker
):
    admin = UserFactory(agency=caseworker.agency, role=Role.ADMINISTRATOR)
    client.force_login(admin)
    response = client.post(reverse("accounts:user-set-active", args=[other_agency_caseworker.pk]))
    assert response.status_code == 404
    other_agency_caseworker.refresh_from_db()
    assert other_agency_caseworker.is_active


@pytest.mark.parametrize(
    "role", [Role.CASEWORKER, Role.REFERRER, Role.ANALYST, Role.SUPERVISOR, Role.IG_OFFICER]
)
def test_only_administrators_see_the_user_list(client, agency, role):
    client.force_login(UserFactory(agency=agency, role=role))
    assert client.get(reverse("accounts:user-list")).status_code == 403
