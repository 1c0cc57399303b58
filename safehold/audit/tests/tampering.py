"""What a database owner, or the application's own database role, could do behind Safehold's
back, for the chain tests.

The application's own connection cannot change audit rows or the chain head (the append-only
and head triggers); `as_database_owner` steps around the triggers the way a DBA could, inside
the test's transaction. `as_application_role` is what a web request's connection is: on
PostgreSQL the role `safehold_app`; on SQLite, which has no roles, the connection itself.
"""

from contextlib import contextmanager

from django.db import connection

from safehold.sharing.middleware import reset_row_security

SQLITE_TRIGGERS = (
    "audit_event_no_update",
    "audit_event_no_delete",
    "audit_head_no_delete",
    "audit_head_no_insert",
    "audit_head_forward_only",
)


@contextmanager
def as_database_owner():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Superuser only: replica mode skips ordinary triggers for this transaction.
            cursor.execute("SET LOCAL session_replication_role = replica")
            yield cursor
            cursor.execute("SET LOCAL session_replication_role = origin")
        else:
            for trigger in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
            yield cursor


@contextmanager
def as_application_role():
    """A cursor with the rights of a web request's connection (ADR 0011)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET ROLE safehold_app")
            try:
                yield cursor
            finally:
                reset_row_security()
        else:
            yield cursor


def remove_the_chain_head() -> None:
    """Delete the chain head as only the database owner can: nothing can be audited after."""
    with as_database_owner() as cursor:
        cursor.execute("DELETE FROM audit_auditchainhead")
