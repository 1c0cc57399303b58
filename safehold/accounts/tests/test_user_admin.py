"""Administrators manage their agency's users in the browser: add, change role and teams,
disable after a confirmation page; every change audited; other agencies' users do not exist."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from safehold.accounts import services
from safehold.accounts.choices import Role
from safehold.accounts.models import User
from safehold.accounts.tests.factories import AgencyFactory, TeamFactory, UserFactory
from safehold.audit.models import AuditEvent
from safehold.core.errors import NotPermitted


@pytest.fixture
def admin(db):
    return UserFactory(role=Role.ADMINISTRATOR)


def test_an_administrator_adds_a_colleague_who_can_sign_in_with_the_password_shown_once(
    client, admin
):
    team = TeamFactory(agency=admin.agency)
    client.force_login(admin)
    response = client.post(
        reverse("accounts:user-add"),
        {"full_name": "Rhiannon Ebbs", "email": "R.Ebbs@example.org", "role": Role.CASEWORKER,
         "teams": [team.pk]},
    )  # fmt: skip
    assert response.status_code == 200
    user = User.objects.get(email="r.ebbs@example.org")
    assert user.agency == admin.agency and user.role == Role.CASEWORKER
    assert list(user.teams.all()) == [team]
    password = response.context["password"]
    assert password in response.content.decode()
    assert user.check_password(password)
    event = AuditEvent.objects.filter(object_ids__contains=str(user.pk)).get()
    assert event.action == "collect" and event.actor == admin


def test_adding_a_user_with_errors_shows_them_and_keeps_what_was_typed(client, admin):
    UserFactory(email="taken@example.org")
    client.force_login(admin)
    page = client.post(
        reverse("accounts:user-add"), {"full_name": "Ann Other", "email": "taken@example.org"}
    ).content.decode()
    assert "There is a problem" in page
    assert "There is already a user with this email address" in page
    assert "Select a role" in page
    assert 'value="Ann Other"' in page
    assert not User.objects.filter(full_name="Ann Other").exists()


def test_an_administrator_changes_a_users_role_and_teams(client, admin):
    worker = UserFactory(agency=admin.agency, role=Role.CASEWORKER)
    team = TeamFactory(agency=admin.agency)
    client.force_login(admin)
    response = client.post(
        reverse("accounts:user-change", args=[worker.pk]),
        {"role": Role.SUPERVISOR, "teams": [team.pk]},
    )
    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.role == Role.SUPERVISOR and list(worker.teams.all()) == [team]
    assert AuditEvent.objects.filter(purpose="user changed: role, teams").count() == 1


def test_a_team_of_another_agency_cannot_be_given(admin):
    worker = UserFactory(agency=admin.agency)
    with pytest.raises(services.UserChangeError):
        services.change_user(user=worker, role=Role.CASEWORKER, teams=[TeamFactory()], by=admin)


def test_disabling_asks_for_confirmation_then_disables_and_audits(client, admin):
    worker = UserFactory(agency=admin.agency)
    client.force_login(admin)
    url = reverse("accounts:user-disable", args=[worker.pk])
    page = client.get(url).content.decode()
    assert f"Disable {escape(worker.full_name)}?" in page  # names like O'Sullivan
    worker.refresh_from_db()
    assert worker.is_active
    assert client.post(url).status_code == 302
    worker.refresh_from_db()
    assert not worker.is_active
    assert AuditEvent.objects.filter(purpose__startswith="user disabled").count() == 1


@pytest.mark.parametrize("name", ["accounts:user-change", "accounts:user-disable"])
def test_another_agencys_user_is_not_found_and_the_holders_admin_sees_them(client, admin, name):
    other = UserFactory(role=Role.CASEWORKER)
    client.force_login(admin)
    assert client.get(reverse(name, args=[other.pk])).status_code == 404
    client.force_login(UserFactory(agency=other.agency, role=Role.ADMINISTRATOR))
    assert client.get(reverse(name, args=[other.pk])).status_code == 200


def test_only_an_administrator_of_their_agency_may_change_or_disable_a_user(admin):
    worker = UserFactory(agency=admin.agency)
    for by in (UserFactory(agency=admin.agency, role=Role.SUPERVISOR),
               UserFactory(agency=AgencyFactory(), role=Role.ADMINISTRATOR)):  # fmt: skip
        with pytest.raises(NotPermitted):
            services.change_user(user=worker, role=Role.ADMINISTRATOR, teams=[], by=by)
        with pytest.raises(NotPermitted):
            services.disable_user(user=worker, by=by)
    worker.refresh_from_db()
    assert worker.role == Role.CASEWORKER and worker.is_active


def test_an_administrator_cannot_disable_themselves(admin):
    with pytest.raises(services.UserChangeError):
        services.disable_user(user=admin, by=admin)
