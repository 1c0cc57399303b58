"""Records built once for a module's tests (see conftest.py): a transaction held open for the
module, each test in a savepoint within it."""

import contextlib

from django.db import transaction

from safehold.core.tests.test_access import PARTNERSHIP_FACTORIES, RECORD_FACTORIES


@contextlib.contextmanager
def kept_for_the_module(django_db_blocker):
    """A transaction open for a whole module: what is written in it is seen by the module's
    tests (each in its own savepoint) and rolled back at the end."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def one_record_of_each_kind(agency) -> dict:
    made = {kind: make(agency) for kind, make in RECORD_FACTORIES.items()}
    return made | {kind: make() for kind, make in PARTNERSHIP_FACTORIES.items()}
