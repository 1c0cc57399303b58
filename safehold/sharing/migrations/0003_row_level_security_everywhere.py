"""Row-level security on every table that holds personal data, not three (issue 12, finding 5).

Migration 0002 covered cases, people and locations. Every other table that holds personal or
case data gets a policy for the application role too (ADR 0011, amended):

- a row that belongs to a case, person, referral or enforcement action is visible when that
  parent row is (the parent's own policy decides), and only its holder may write it;
- disclosures and access requests: to the two agencies they are between;
- referrals: to the referrer's agency, the programme's lead agency, and the agencies the case
  it became is visible to;
- import runs, retention decisions, erasure logs, alerts: to their agency.

The case policy asked `cases_referral` whether the user's agency referred the case. With the
referral table under a policy that asks `cases_case` in turn, PostgreSQL would refuse the
circle ("infinite recursion detected in policy"), so that question is now a SECURITY DEFINER
function, which reads the referral as the owner of the tables. A meta-test
(`safehold/sharing/tests/test_row_level_security.py`) fails when a table with personal data
has no policy, so the tables of later modules cannot be forgotten.
"""

import importlib

from django.db import migrations

from safehold.sharing.rls import (
    disable_sql,
    enable_sql,
    mine,
    of_agency,
    of_case,
    of_person,
    parent_visible,
)

LEAD = f"EXISTS (SELECT 1 FROM cases_programme pr WHERE pr.id = T.programme_id AND {mine('pr.lead_agency_id')})"
REFERRAL_OWN = f"{mine('T.referrer_agency_id')} OR {LEAD}"
RECORD = "(T.person_id IS NOT NULL AND {person}) OR (T.case_id IS NOT NULL AND {case})"

# Table: (who may read a row, who may write one).
POLICIES = {
    "cases_referral": (
        f"{REFERRAL_OWN} OR EXISTS (SELECT 1 FROM cases_case c WHERE c.referral_id = T.id)",
        REFERRAL_OWN,
    ),
    "cases_referral_signs": (
        parent_visible("cases_referral", "referral_id"),
        parent_visible("cases_referral", "referral_id"),
    ),
    "cases_chronologyentry": of_case(),
    "cases_riskassessment": of_case(),
    "cases_caselink": of_case(),
    "cases_intervention": of_case(),
    "cases_enforcementaction": of_case(),
    "cases_enforcementdocument": (
        parent_visible("cases_enforcementaction", "action_id"),
        f"EXISTS (SELECT 1 FROM cases_enforcementaction a JOIN cases_case c ON c.id = a.case_id"
        f" WHERE a.id = T.action_id AND {mine('c.owning_agency_id')})",
    ),
    "cases_task": of_case(),
    "cases_asbhandover": of_case(),
    "cases_importrun": of_agency(),
    "people_personalias": of_person(),
    "people_person_vulnerabilities": of_person(),
    "sharing_disclosure": (
        f"{mine('T.from_agency_id')} OR {mine('T.to_agency_id')}",
        mine("T.from_agency_id"),
    ),
    "sharing_accessrequest": (
        f"{mine('T.requesting_agency_id')} OR {mine('T.owning_agency_id')}",
        f"{mine('T.requesting_agency_id')} OR {mine('T.owning_agency_id')}",
    ),
    "governance_legalhold": (
        RECORD.format(person=of_person()[0], case=of_case()[0]),
        RECORD.format(person=of_person()[1], case=of_case()[1]),
    ),
    "governance_subjectaccessrequest": of_person(),
    "governance_retentiondecision": of_agency(),
    "governance_erasurelog": of_agency(),
    "monitoring_alert": of_agency(),
}

REFERRED_BY_ME = f"""
CREATE OR REPLACE FUNCTION safehold_referred_by_me(referral uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT EXISTS (
        SELECT 1 FROM cases_referral r
        WHERE r.id = referral AND {mine("r.referrer_agency_id")}
    )
$$;
REVOKE ALL ON FUNCTION safehold_referred_by_me(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION safehold_referred_by_me(uuid) TO safehold_app;
"""

CASE_POLICY = f"""
DROP POLICY agency_cases ON cases_case;
CREATE POLICY agency_cases ON cases_case TO safehold_app USING (
    {mine("owning_agency_id")}
    OR EXISTS (
        SELECT 1 FROM sharing_disclosure d
        JOIN sharing_informationsharingagreement a ON a.id = d.agreement_id
        WHERE {mine("d.to_agency_id")}
          AND d.revoked_at IS NULL
          AND (d.expires_on IS NULL OR d.expires_on >= current_date)
          AND a.start_date <= current_date
          AND (a.end_date IS NULL OR a.end_date >= current_date)
          AND d.case_id = cases_case.id
    )
    OR (referral_id IS NOT NULL AND safehold_referred_by_me(referral_id))
) WITH CHECK ({mine("owning_agency_id")});
"""


def forward_sql() -> str:
    statements = [REFERRED_BY_ME, CASE_POLICY]
    statements += [enable_sql(table, *policy) for table, policy in POLICIES.items()]
    return "\n".join(statements)


def backward_sql() -> str:
    statements = [disable_sql(table) for table in POLICIES]
    # Back to 0002's case policy, which asked the referral table itself.
    previous = importlib.import_module("safehold.sharing.migrations.0002_row_level_security")
    statements.append(
        "DROP POLICY agency_cases ON cases_case;\n"
        "CREATE POLICY agency_cases ON cases_case TO safehold_app "
        f"USING ({previous.CASE_POLICY}) WITH CHECK ({previous.OWN});\n"
        "DROP FUNCTION IF EXISTS safehold_referred_by_me(uuid);"
    )
    return "\n".join(statements)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(forward_sql(), params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(backward_sql(), params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("sharing", "0002_row_level_security"),
        ("cases", "0006_trigram_reference"),
        ("governance", "0002_default_policies"),
        ("monitoring", "0001_initial"),
        ("people", "0004_trigram_search"),
    ]

    operations = [migrations.RunPython(forward, backward)]
