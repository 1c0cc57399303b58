import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.models import Agency, User
from safehold.accounts.tests.factories import TotpDeviceFactory, UserFactory
from safehold.audit.services import verify_chain
from safehold.demo import partnership
from safehold.people.models import Person


def test_the_demo_partnership_has_every_role_and_the_named_agencies(db):
    partnership.load(seed=2022)
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert {a for a, *_ in partnership.AGENCIES} == set(
        Agency.objects.values_list("name", flat=True)
    )
    # and the subject of the police referral accepted into a case (recorded from the referral)
    assert Person.objects.count() == sum(partnership.PEOPLE_PER_AGENCY.values()) + 1
    assert verify_chain().ok


def test_the_demo_is_the_same_for_the_same_seed(db):
    from django.db import transaction

    def names():
        return sorted(Person.objects.values_list("given_name", "family_name", "date_of_birth"))

    with transaction.atomic():
        partnership.load(seed=7)
        first = names()
        transaction.set_rollback(True)
    partnership.load(seed=7)
    assert names() == first


def test_loading_the_demo_twice_does_not_duplicate_it(db, capsys):
    call_command("demo", "load")
    call_command("demo", "load")
    assert "already loaded" in capsys.readouterr().out
    assert Agency.objects.count() == len(partnership.AGENCIES)


def test_a_newcomer_signs_in_as_a_demo_user_with_two_commands(client, db, capsys):
    """`safehold demo sign-ins` for the password, `safehold demo code EMAIL` for the code,
    before the user's first sign-in: the demo enrolled their authenticator app at load."""
    call_command("demo", "load")
    call_command("demo", "sign-ins", "--address", "http://127.0.0.1:8123")
    printed = capsys.readouterr().out
    for user in partnership.USERS[:3]:
        assert user.email in printed
    assert partnership.DEMO_PASSWORD in printed
    assert "demo code EMAIL" in printed
    assert "Open http://127.0.0.1:8123 and sign in" in printed
    email = partnership.USERS[0].email
    response = client.post(
        reverse("accounts:sign-in"), {"username": email, "password": partnership.DEMO_PASSWORD}
    )
    assert response.status_code == 302 and response.url == reverse("accounts:two-factor")
    call_command("demo", "code", email)
    code = capsys.readouterr().out.strip()
    response = client.post(response.url, {"code": code})
    assert response.url == reverse("core:home")


def test_a_demo_user_whose_two_factor_was_reset_sets_it_up_again(client, db, capsys):
    call_command("demo", "load")
    email = partnership.USERS[0].email
    call_command("accounts", "user", "reset-two-factor", email)
    response = client.post(
        reverse("accounts:sign-in"), {"username": email, "password": partnership.DEMO_PASSWORD}
    )
    assert response.url == reverse("accounts:two-factor-set-up")


def test_demo_codes_are_printed_only_for_demo_users_who_have_an_app(db):
    user = UserFactory(email="someone@police.example.org")
    TotpDeviceFactory(user=user)
    with pytest.raises(CommandError, match="only for demo users"):
        call_command("demo", "code", user.email)
    with pytest.raises(CommandError, match="has no authenticator app"):
        call_command("demo", "code", "new@homes.demo.safehold.test")


def test_the_demo_casework_is_consistent_and_shows_the_police_warning_on_its_case(db):
    """Issue 14, defects 1 and 2: no open task on a closed case, and the police referral
    warning of a dog is accepted into a case whose page shows it."""
    from safehold.cases.choices import CaseStatus, TaskStatus
    from safehold.cases.models import Case, Task

    partnership.load(seed=2022)
    assert Case.objects.filter(status=CaseStatus.CLOSED).exists()
    assert not Task.objects.filter(status=TaskStatus.OPEN, case__status=CaseStatus.CLOSED).exists()
    assert Task.objects.filter(status=TaskStatus.CLOSED).exists()
    case = Case.objects.get(referral__risks_to_staff__icontains="dog")
    assert case.referral.referrer.email == "pcso@gmp.demo.safehold.test"
    assert case.tasks.filter(status=TaskStatus.OPEN).exists()


def test_the_demo_officer_has_an_enforcement_deadline_in_the_next_fortnight(db):
    """Issue 14, item 14: the exploitation officer's home shows an order ending soon."""
    import datetime

    from safehold.accounts.models import User
    from safehold.cases.deadlines import enforcement_deadlines
    from safehold.core import dates

    partnership.load(seed=2022)
    epo = User.objects.get(email=partnership.USERS[0].email)
    today = dates.today()
    soon = enforcement_deadlines(epo, today, today + datetime.timedelta(days=14))
    assert any(d.what.startswith("Order ends") for d in soon), soon
