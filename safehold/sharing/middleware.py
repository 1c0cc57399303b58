"""Run each signed-in request as the database role that row-level security restricts.

On PostgreSQL, cases, people and locations carry row-level security policies for the role
`safehold_app` (migration sharing/0002). A request by a signed-in user switches its connection
to that role with the user's agency set, so even a query that forgot the read gate sees only
that agency's records and what is shared with it. The role is reset when the request ends, so
a pooled connection never carries one request's agency into the next.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection


def row_security_on() -> bool:
    """Whether requests run under row-level security. Always in use; switched off only for the
    test run that proves the read gates alone keep every agency's records apart (CI runs the
    suite on PostgreSQL with and without it)."""
    return connection.vendor == "postgresql" and settings.SAFEHOLD_ROW_LEVEL_SECURITY


def apply_row_security(user) -> None:
    """Restrict this connection to what the user's agency may see (PostgreSQL only)."""
    if connection.vendor != "postgresql" or user is None or not user.is_authenticated:
        return
    _restrict(str(user.agency_id))


# The switch in one round trip each way instead of two (ADR 0065, second round): the same two
# statements, sent together. Django's psycopg cursor binds parameters on the client and sends
# the text by the simple query protocol, which runs several statements in one message (in one
# implicit transaction: both or neither).
def _restrict(agency_id: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('safehold.agency_id', %s, false); SET ROLE safehold_app",
            [agency_id],
        )


def reset_row_security() -> None:
    if connection.vendor != "postgresql" or connection.connection is None:
        return
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE; SELECT set_config('safehold.agency_id', '', false)")


@contextmanager
def unrestricted() -> Iterator[None]:
    """Lift this connection's row-level restriction for the block, then put it back.

    For work Safehold does as the system inside someone's request, as management commands do:
    the performance framework's computed indicators count every case of the programme whoever
    produces the report (ADR 0016). Only aggregates may leave such a block; the read gates
    still apply to everything shown.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, current_setting('safehold.agency_id', true)")
        role, agency = cursor.fetchone()
    if role != "safehold_app":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
    try:
        yield
    finally:
        _restrict(agency or "")


class RowLevelSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not row_security_on():
            return self.get_response(request)
        apply_row_security(request.user)
        try:
            return self.get_response(request)
        finally:
            reset_row_security()
