"""Row-level security for issue 14 (ADR 0035), on PostgreSQL only:

- a partner agency given a case in full, live now, may add chronology entries to it and
  update its tasks (the services let it complete only the tasks assigned to it);
- a repeat referral added to a case already open is visible with that case, as the referral a
  case was opened from is.
"""

import importlib

from django.db import migrations

from safehold.sharing.rls import disable_sql, enable_sql, of_case, of_case_partners_write

previous = importlib.import_module("safehold.sharing.migrations.0003_row_level_security_everywhere")
REFERRAL_READ, REFERRAL_WRITE = previous.POLICIES["cases_referral"]
ADDED_TO_A_VISIBLE_CASE = (
    "(T.added_to_case_id IS NOT NULL"
    " AND EXISTS (SELECT 1 FROM cases_case c WHERE c.id = T.added_to_case_id))"
)

FORWARD = {
    "cases_chronologyentry": of_case_partners_write(),
    "cases_task": of_case_partners_write(),
    "cases_referral": (f"{REFERRAL_READ} OR {ADDED_TO_A_VISIBLE_CASE}", REFERRAL_WRITE),
}
BACKWARD = {
    "cases_chronologyentry": of_case(),
    "cases_task": of_case(),
    "cases_referral": (REFERRAL_READ, REFERRAL_WRITE),
}


def _replace(policies):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            sql = "\n".join(
                f"{disable_sql(table)}\n{enable_sql(table, *policy)}"
                for table, policy in policies.items()
            )
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0009_task_statuses_and_repeat_referrals"),
        ("sharing", "0003_row_level_security_everywhere"),
    ]

    operations = [migrations.RunPython(_replace(FORWARD), _replace(BACKWARD))]
