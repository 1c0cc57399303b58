"""`safehold accounts`: how a new installation gets its first agency and administrator."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from safehold.accounts.models import Agency, User
from safehold.accounts.tests.signing_in import enter_password
from safehold.audit.choices import Action
from safehold.audit.models import AuditEvent

PASSWORD = "a long and unusual passphrase"

pytestmark = pytest.mark.django_db


def accounts(*args) -> str:
    out = io.StringIO()
    call_command("accounts", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def stdin(monkeypatch):
    def feed(text: str):
        monkeypatch.setattr("sys.stdin", io.StringIO(text))

    return feed


def add_admin(stdin, email="admin@homes.example.org", password=PASSWORD, agency="Stockport Homes"):
    stdin(password + "\n")
    return accounts(
        "user", "add", email, "--name", "Ada Admin", "--agency", agency,
        "--role", "administrator", "--password-stdin",
    )  # fmt: skip


def test_the_first_agency_and_administrator_can_sign_in(client, stdin):
    assert "Added Stockport Homes (Housing provider)" in accounts(
        "agency", "add", "  Stockport   Homes ", "--kind", "housing"
    )
    said = add_admin(stdin, email="Admin@Homes.Example.org")
    assert "Added Ada Admin <admin@homes.example.org>, Administrator at Stockport Homes" in said
    user = User.objects.get()
    assert (user.agency.name, user.role, user.email) == (
        "Stockport Homes", "administrator", "admin@homes.example.org"
    )  # fmt: skip
    response = enter_password(client, "admin@homes.example.org", PASSWORD)
    # The password is right, and the next step is setting up the authenticator app.
    assert response.status_code == 302
    assert response.url == reverse("accounts:two-factor-set-up")
    created = AuditEvent.objects.filter(action=Action.COLLECT, channel="cli")
    assert {e.purpose for e in created} == {"agency created", "user created"}


def test_the_lists_show_what_was_added(stdin):
    assert "No agencies yet" in accounts("agency", "list")
    accounts("agency", "add", "Stockport Homes", "--kind", "housing")
    accounts("agency", "add", "Greater Manchester Police", "--kind", "police")
    add_admin(stdin)
    assert accounts("agency", "list").splitlines() == [
        "Greater Manchester Police  Police  0 users",
        "Stockport Homes  Housing provider  1 user",
    ]
    assert accounts("user", "list", "--agency", "stockport homes").splitlines() == [
        "admin@homes.example.org  Ada Admin  Administrator  Stockport Homes"
    ]
    assert accounts("user", "list", "--agency", "Greater Manchester Police") == ""


@pytest.mark.parametrize(
    "args, message",
    [
        (("--agency", "Nowhere Homes"), "There is no agency called Nowhere Homes (agencies: Stockport Homes)"),
        (("--email", "not-an-address"), "“not-an-address” is not an email address"),
        (("--password", "short"), "The password is not strong enough: This password is too short"),
        (("--password", "123456789012"), "This password is entirely numeric"),
        (("--password", ""), "No password on standard input"),
    ],
)  # fmt: skip
def test_a_bad_user_is_refused_with_the_reason_and_nothing_is_added(stdin, args, message):
    accounts("agency", "add", "Stockport Homes", "--kind", "housing")
    given = dict(zip(args[::2], args[1::2], strict=True))
    with pytest.raises(CommandError, match=re.escape(message)):
        add_admin(
            stdin,
            email=given.get("--email", "admin@homes.example.org"),
            password=given.get("--password", PASSWORD),
            agency=given.get("--agency", "Stockport Homes"),
        )
    assert not User.objects.exists()
    assert not AuditEvent.objects.filter(purpose="user created").exists()


def test_the_same_agency_or_user_twice_is_refused(stdin):
    accounts("agency", "add", "Stockport Homes", "--kind", "housing")
    with pytest.raises(CommandError, match="There is already an agency called STOCKPORT HOMES"):
        accounts("agency", "add", "STOCKPORT HOMES", "--kind", "council")
    add_admin(stdin)
    with pytest.raises(CommandError, match="already a user with the email address admin@homes"):
        add_admin(stdin, email="ADMIN@homes.example.org")
    assert Agency.objects.count() == 1 and User.objects.count() == 1


def test_without_a_terminal_the_password_must_come_from_standard_input(stdin):
    accounts("agency", "add", "Stockport Homes", "--kind", "housing")
    stdin(PASSWORD + "\n")
    with pytest.raises(CommandError, match="use --password-stdin"):
        accounts(
            "user", "add", "admin@homes.example.org", "--name", "Ada Admin",
            "--agency", "Stockport Homes", "--role", "administrator",
        )  # fmt: skip
    assert not User.objects.exists()
