"""The registries' records, for the tests of this folder that go over every URL.

Those tests make one or two requests each, over some 3,500 cases; building one record of every
kind for each case was a third of their time. The records are built once per module (and per
test worker) inside a transaction that is rolled back when the module ends; each test runs in a
savepoint within it (pytest-django's `db`), so what a test writes is still undone after it."""

import pytest

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.core.tests.kept import kept_for_the_module, one_record_of_each_kind


@pytest.fixture(scope="module")
def module_records(django_db_setup, django_db_blocker):
    with kept_for_the_module(django_db_blocker):
        with django_db_blocker.unblock():
            home = AgencyFactory()
            made = one_record_of_each_kind(home)
            admin = UserFactory(agency=home, role=Role.ADMINISTRATOR)
        yield {**made, "agency": home, "admin": admin}


@pytest.fixture
def records(module_records, db):
    """One record of each kind, owned by the 'home' agency, and its administrator (built once
    for the module: see above)."""
    return module_records
