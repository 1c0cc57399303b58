from django.core.management import call_command
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.models import Agency, User
from safehold.audit.services import verify_chain
from safehold.demo import partnership
from safehold.people.models import Person


def test_the_demo_partnership_has_every_role_and_the_named_agencies(db):
    partnership.load(seed=2022)
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert {a for a, *_ in partnership.AGENCIES} == set(
        Agency.objects.values_list("name", flat=True)
    )
    assert Person.objects.count() == sum(partnership.PEOPLE_PER_AGENCY.values())
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


def test_the_printed_demo_sign_ins_work(client, db, capsys):
    call_command("demo", "load")
    call_command("demo", "sign-ins")
    printed = capsys.readouterr().out
    for user in partnership.USERS[:3]:
        assert user.email in printed
    assert partnership.DEMO_PASSWORD in printed
    response = client.post(
        reverse("accounts:sign-in"),
        {"username": partnership.USERS[0].email, "password": partnership.DEMO_PASSWORD},
    )
    assert response.status_code == 302 and response.url == reverse("core:home")
