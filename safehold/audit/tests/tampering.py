"""What a database owner could do behind the application's back, for the chain tests.

The application's own connection cannot change audit rows (the append-only triggers); these
helpers step around the triggers the way a DBA could, inside the test's transaction.
"""

from contextlib import contextmanager

from django.db import connection


@contextmanager
def as_database_owner():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Superuser only: replica mode skips ordinary triggers for this transaction.
            cursor.execute("SET LOCAL session_replication_role = replica")
            yield cursor
            cursor.execute("SET LOCAL session_replication_role = origin")
        else:
            cursor.execute("DROP TRIGGER audit_event_no_update")
            cursor.execute("DROP TRIGGER audit_event_no_delete")
            yield cursor
