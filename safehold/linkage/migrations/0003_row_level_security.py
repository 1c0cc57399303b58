"""Row-level security on linkage's tables (ADR 0055): the resolved-identity table and its pairs
hold keys, outcomes and match weights, no personal value, and every agency reads them (what a
key points to keeps its own policy); only runs, unrestricted, write them. A decision is read by
every agency (the reviewers' reasons, for the partnership's runs and fairness report) and
written only by an agency holding one of the pair's two records."""

from django.db import migrations

from safehold.sharing import rls

OF_A_PAIR_I_HOLD = (
    "EXISTS (SELECT 1 FROM linkage_pair p"
    " JOIN linkage_record l ON l.id = p.left_id JOIN linkage_record r ON r.id = p.right_id"
    f" WHERE p.id = T.pair_id AND ({rls.mine('l.agency_id')} OR {rls.mine('r.agency_id')}))"
)


class Migration(migrations.Migration):
    dependencies = [
        ("linkage", "0002_record_kind_agreement_run_sources"),
        ("sharing", "0004_access_request_for_other_records"),
    ]

    operations = [
        rls.policies(
            {
                "linkage_record": rls.readable_by_all(),
                "linkage_pair": rls.readable_by_all(),
                "linkage_pairdecision": rls.readable_by_all(OF_A_PAIR_I_HOLD),
            }
        )
    ]
