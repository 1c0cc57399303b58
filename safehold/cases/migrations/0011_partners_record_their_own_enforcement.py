"""Row-level security for ADR 0048, on PostgreSQL only: a partner agency given a case in full,
live now, may record on it the enforcement its own agency served (a police closure notice on a
landlord's case); the services let only the holder change an action afterwards."""

from django.db import migrations

from safehold.sharing.rls import disable_sql, enable_sql, of_case, of_case_partners_own


def _replace(policy):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            table = "cases_enforcementaction"
            sql = f"{disable_sql(table)}\n{enable_sql(table, *policy)}"
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0010_partners_write_on_shared_cases")]

    operations = [migrations.RunPython(_replace(of_case_partners_own()), _replace(of_case()))]
