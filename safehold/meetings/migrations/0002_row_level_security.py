"""What a meeting holds about a case (a flagged case's item, its minutes, an action on it) is
visible with the case and only with it (ADR 0011, ADR 0042); rows about no case (a topic, an
action on no case) are the meeting's, which the read gates restrict to its agencies."""

from django.db import migrations

from safehold.sharing import rls

NO_CASE_OR_VISIBLE = f"T.case_id IS NULL OR {rls.parent_visible('cases_case', 'case_id')}"
NO_CASE_OR_HELD = f"T.case_id IS NULL OR {rls.parent_mine('cases_case', 'case_id')}"
ITEM_VISIBLE = rls.parent_visible("meetings_agendaitem", "agendaitem_id")


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0001_initial"),
        ("sharing", "0003_row_level_security_everywhere"),
    ]

    operations = [
        rls.policies(
            {
                # A case is put on an agenda only by its holder.
                "meetings_agendaitem": (NO_CASE_OR_VISIBLE, NO_CASE_OR_HELD),
                # Minutes and actions are written by the chairing agency, on cases it may see.
                "meetings_minute": (NO_CASE_OR_VISIBLE, NO_CASE_OR_VISIBLE),
                "meetings_action": (NO_CASE_OR_VISIBLE, NO_CASE_OR_VISIBLE),
                # The shares a flagged case's item made: with the item.
                "meetings_agendaitem_disclosures": (ITEM_VISIBLE, ITEM_VISIBLE),
            }
        )
    ]
