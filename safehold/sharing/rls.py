"""Row-level security policies for the application role, as SQL (ADR 0011, ADR 0027).

Every table that holds personal or case data has a policy: a row that belongs to a case,
person, referral or other such record is visible when that parent row is (the parent's own
policy decides) and written only by its holder; a row that belongs to an agency, to that agency.
A module's migration declares its tables' policies with these helpers:

    from safehold.sharing import rls
    operations = [rls.policies({"example_visit": rls.of_case()})]

Migrations import this module, so what a helper writes for the same arguments must never change:
add a helper rather than changing one. The meta-test
`sharing/tests/test_row_level_security.py` fails on PostgreSQL for a table with personal data and
no policy.
"""

import re

from django.db import migrations

AGENCY = "current_setting('safehold.agency_id', true)"

# The role web requests run as belongs to the cluster, not to a database: made by migration
# sharing/0002, and again by a restore into a cluster without it (safehold/upkeep/backups.py).
CREATE_ROLE = """
DO $$ BEGIN
    -- Roles belong to the cluster: databases migrated at once (the test workers) take turns.
    PERFORM pg_advisory_xact_lock(hashtext('safehold_app role'));
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'safehold_app') THEN
        CREATE ROLE safehold_app NOLOGIN;
    END IF;
END $$;
GRANT safehold_app TO CURRENT_USER;
"""


def mine(column: str) -> str:
    return f"{column}::text = {AGENCY}"


# In the policies, `T` stands for the table the policy is on (columns are qualified with it, so
# a subquery's table can never capture them).


def parent_visible(table: str, column: str) -> str:
    """The parent row is visible to this role (its own policy applies inside the subquery)."""
    return f"EXISTS (SELECT 1 FROM {table} p WHERE p.id = T.{column})"


def parent_mine(table: str, column: str, owner: str = "owning_agency_id") -> str:
    return f"EXISTS (SELECT 1 FROM {table} p WHERE p.id = T.{column} AND {mine('p.' + owner)})"


def of_case(column: str = "case_id") -> tuple[str, str]:
    """(read, write) for a row of a case: visible with the case, written by its holder."""
    return parent_visible("cases_case", column), parent_mine("cases_case", column)


def shared_in_full(column: str = "case_id") -> str:
    """The case the row belongs to is disclosed in full to this role's agency, live now."""
    return (
        "EXISTS (SELECT 1 FROM sharing_disclosure d"
        " JOIN sharing_informationsharingagreement a ON a.id = d.agreement_id"
        f" WHERE d.case_id = T.{column} AND d.level = 'full' AND {mine('d.to_agency_id')}"
        " AND d.revoked_at IS NULL AND (d.expires_on IS NULL OR d.expires_on >= current_date)"
        " AND a.start_date <= current_date"
        " AND (a.end_date IS NULL OR a.end_date >= current_date))"
    )


def of_case_partners_write(column: str = "case_id") -> tuple[str, str]:
    """(read, write) for a row of a case that a partner given the case in full may write too
    (chronology entries, tasks: issue 14, item 20); which rows, the services decide."""
    read, write = of_case(column)
    return read, f"{write} OR {shared_in_full(column)}"


def of_case_partners_own(column: str = "case_id", agency: str = "agency_id") -> tuple[str, str]:
    """(read, write) for a row of a case that names an agency: a partner given the case in full
    writes the rows in its own agency's name (the enforcement it served: ADR 0048)."""
    read, write = of_case(column)
    return read, f"{write} OR ({shared_in_full(column)} AND {mine('T.' + agency)})"


def of_person(column: str = "person_id") -> tuple[str, str]:
    return parent_visible("people_person", column), parent_mine("people_person", column)


def of_agency(column: str = "agency_id") -> tuple[str, str]:
    return mine(f"T.{column}"), mine(f"T.{column}")


def _on(table: str, sql: str) -> str:
    return re.sub(r"\bT\.", f"{table}.", sql)


def enable_sql(table: str, using: str, check: str) -> str:
    using, check = _on(table, using), _on(table, check)
    return (
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;\n"
        f"CREATE POLICY agency_rows ON {table} TO safehold_app "
        f"USING ({using}) WITH CHECK ({check});"
    )


def disable_sql(table: str) -> str:
    return (
        f"DROP POLICY IF EXISTS agency_rows ON {table};\n"
        f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY;"
    )


def policies(tables: dict[str, tuple[str, str]]) -> migrations.RunPython:
    """A migration operation giving each table its (read, write) policy, on PostgreSQL only
    (SQLite has no row-level security; the read gates are what protect it there)."""

    def forward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            sql = "\n".join(enable_sql(t, *policy) for t, policy in tables.items())
            schema_editor.execute(sql, params=None)

    def backward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute("\n".join(disable_sql(t) for t in tables), params=None)

    return migrations.RunPython(forward, backward)


def readable_by_all(write: str = "false") -> tuple[str, str]:
    """(read, write) for rows that name records by key and hold no personal value (linkage's
    resolved-identity table and pairs, ADR 0055): every agency reads them, since what a key
    points to keeps its own policy; the application role writes only where `write` holds
    (nowhere by default: linkage runs write them unrestricted)."""
    return "true", write
