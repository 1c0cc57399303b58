"""No route around the second factor (ADR 0007): a session that has passed the password step
but not the code reaches no page except the two-factor steps, and nothing but the code step
signs anybody in.

Every URL the resolver knows is in one of the access registries (the access test checks that),
so every page but the public ones and the sign-in steps is tried here.
"""

import ast
from pathlib import Path

import pytest
from django.urls import reverse

import safehold
from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, TotpDeviceFactory, UserFactory
from safehold.accounts.tests.signing_in import TWO_FACTOR, enter_password
from safehold.core.tests.kept import kept_for_the_module, one_record_of_each_kind
from safehold.core.tests.test_access import (
    API_URLS,
    OTHER_URLS,
    PARTNERSHIP_URLS,
    PRE_SIGN_IN,
    RECORD_URLS,
    url_for,
)

SIGN_IN = reverse("accounts:sign-in")


@pytest.fixture(scope="module")
def administrator_and_records(django_db_setup, django_db_blocker):
    """An administrator with an authenticator app, and one record of each kind that their agency
    owns: everything would be open to them once signed in. Built once for the module (rolled
    back at its end; each test runs in a savepoint: safehold/core/tests/kept.py)."""
    with kept_for_the_module(django_db_blocker):
        with django_db_blocker.unblock():
            agency = AgencyFactory()
            admin = UserFactory(agency=agency, role=Role.ADMINISTRATOR)
            TotpDeviceFactory(user=admin)
            records = one_record_of_each_kind(agency)
        yield admin, records


@pytest.fixture
def half_signed_in(client, administrator_and_records, db):
    """The administrator has typed the right password but no code."""
    admin, records = administrator_and_records
    assert enter_password(client, admin.email).url == TWO_FACTOR
    return client, records


@pytest.mark.parametrize("name", sorted(set(RECORD_URLS) | set(PARTNERSHIP_URLS) | OTHER_URLS))
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_password_without_the_code_opens_no_page(half_signed_in, name, method):
    client, records = half_signed_in
    url = url_for(name, records)
    response = getattr(client, method)(url)
    if name in API_URLS:
        assert response.status_code in (401, 403)
    else:
        assert response.status_code == 302 and response.url.startswith(SIGN_IN)
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("name", sorted(PRE_SIGN_IN))
def test_the_sign_in_steps_open_between_the_password_and_the_code(half_signed_in, name):
    client, _ = half_signed_in
    response = client.get(reverse(name))
    # The code page and the recovery page open; set-up sends a user who has an app to the code.
    assert response.status_code == 200 or response.url == TWO_FACTOR


def _sign_in_calls(path: Path) -> list[str]:
    """The innermost function or class of a module that calls django.contrib.auth's login()
    (under any name) or uses LoginView."""
    tree = ast.parse(path.read_text(), filename=str(path))
    names = {"login"}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.contrib.auth":
            names |= {alias.asname or alias.name for alias in node.names if alias.name == "login"}
    found = []

    def visit(node: ast.AST, scope: str) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            scope = node.name
        if isinstance(node, ast.Call):
            func = node.func
            if (isinstance(func, ast.Name) and func.id in names) or (
                isinstance(func, ast.Attribute) and func.attr == "login"
            ):
                found.append(scope)
        if (isinstance(node, ast.Name) and node.id == "LoginView") or (
            isinstance(node, ast.Attribute) and node.attr == "LoginView"
        ):
            found.append(scope)
        for child in ast.iter_child_nodes(node):
            visit(child, scope)

    visit(tree, "<module>")
    return found


def test_nothing_but_the_code_step_signs_anybody_in():
    """A new login() call or LoginView would be a way round the second factor."""
    root = Path(safehold.__file__).parent
    callers = {
        f"{path.relative_to(root)}:{scope}"
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        for scope in _sign_in_calls(path)
    }
    # SignInView is a LoginView whose form_valid starts the two-factor step instead.
    assert callers == {"accounts/views.py:_complete_sign_in", "accounts/views.py:SignInView"}
