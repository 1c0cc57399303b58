"""Row-level security (ADR 0011, ADR 0049), matching the read gate as far as SQL can.

A submission is read by its submitting agency, by every police agency (the database cannot see
roles: the read gate narrows police users to the intelligence role), and, once graded, by a
partner its handling code gives it to: P, an agency with a live information sharing agreement
with the police agency that graded it; C, an agency named in its share-with list. It is written
by the submitting agency (the submission) and the police (the grading).

Mentions are the original: read and written by the submitting agency and the police only. The
share-with list holds two ids and no personal data; it is read by the agency it names and the
police, and written by the police. The submission's policy reads it, so its own policy must not
read the submission back (PostgreSQL refuses recursive policies).
"""

from django.db import migrations

from safehold.sharing import rls

POLICE = (
    f"EXISTS (SELECT 1 FROM accounts_agency pa WHERE pa.kind = 'police' AND {rls.mine('pa.id')})"
)
GRADED = "T.status IN ('graded', 'actioned', 'no_further_action')"
LIVE_AGREEMENT_WITH_GRADER = (
    "EXISTS (SELECT 1 FROM sharing_informationsharingagreement a"
    " JOIN sharing_informationsharingagreement_parties me ON me.informationsharingagreement_id = a.id"
    " JOIN sharing_informationsharingagreement_parties grader"
    " ON grader.informationsharingagreement_id = a.id"
    f" WHERE {rls.mine('me.agency_id')} AND grader.agency_id = T.assessing_agency_id"
    " AND a.start_date <= current_date AND (a.end_date IS NULL OR a.end_date >= current_date))"
)
NAMED = (
    "EXISTS (SELECT 1 FROM intelligence_intelligence_share_with s"
    f" WHERE s.intelligence_id = T.id AND {rls.mine('s.agency_id')})"
)
INTELLIGENCE_READ = (
    f"{rls.mine('T.owning_agency_id')} OR {POLICE} OR ({GRADED} AND ("
    f"(T.handling_code = 'P' AND {LIVE_AGREEMENT_WITH_GRADER})"
    f" OR (T.handling_code = 'C' AND {NAMED})))"
)
INTELLIGENCE_WRITE = f"{rls.mine('T.owning_agency_id')} OR {POLICE}"
ORIGINAL = (
    "EXISTS (SELECT 1 FROM intelligence_intelligence p WHERE p.id = T.intelligence_id"
    f" AND ({rls.mine('p.owning_agency_id')} OR {POLICE}))"
)


class Migration(migrations.Migration):
    dependencies = [
        ("intelligence", "0001_initial"),
        ("sharing", "0003_row_level_security_everywhere"),
    ]

    operations = [
        rls.policies(
            {
                "intelligence_intelligence": (INTELLIGENCE_READ, INTELLIGENCE_WRITE),
                "intelligence_mention": (ORIGINAL, ORIGINAL),
                "intelligence_intelligence_share_with": (
                    f"{rls.mine('T.agency_id')} OR {POLICE}",
                    POLICE,
                ),
            }
        )
    ]
