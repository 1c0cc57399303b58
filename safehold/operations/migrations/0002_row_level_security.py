"""Row-level security (ADR 0011, ADR 0041): an operation is visible to its lead agency and its
partners (the partner table holds no personal data and has no policy of its own, so the
operation's policy may read it); its premises, people, results and links are visible with the
operation; the plan is written by the lead, results and links by any agency taking part. A
referral's link is visible with the referral too, so the triage team sees it was raised during
an operation."""

from django.db import migrations

from safehold.sharing import rls

OPERATION = "operations_operation"
TAKES_PART = (
    f"{rls.mine('T.owning_agency_id')} OR EXISTS (SELECT 1 FROM operations_operationpartner op"
    f" WHERE op.operation_id = T.id AND {rls.mine('op.agency_id')})"
)
WITH_OPERATION = rls.parent_visible(OPERATION, "operation_id")
WITH_RESULT = rls.parent_visible("operations_operationresult", "result_id")


class Migration(migrations.Migration):
    dependencies = [
        ("operations", "0001_initial"),
        ("sharing", "0003_row_level_security_everywhere"),
    ]

    operations = [
        rls.policies(
            {
                OPERATION: (TAKES_PART, rls.mine("T.owning_agency_id")),
                "operations_operationpremises": (
                    WITH_OPERATION,
                    rls.parent_mine(OPERATION, "operation_id"),
                ),
                "operations_personofinterest": (
                    WITH_OPERATION,
                    rls.parent_mine(OPERATION, "operation_id"),
                ),
                "operations_operationresult": (WITH_OPERATION, WITH_OPERATION),
                "operations_arrest": (WITH_RESULT, WITH_RESULT),
                "operations_drugseizure": (WITH_RESULT, WITH_RESULT),
                "operations_operationreferral": (
                    f"{WITH_OPERATION} OR {rls.parent_visible('cases_referral', 'referral_id')}",
                    WITH_OPERATION,
                ),
                "operations_operationclosurenotice": (WITH_OPERATION, WITH_OPERATION),
            }
        )
    ]
