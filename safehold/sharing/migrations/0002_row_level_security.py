"""PostgreSQL row-level security as a backstop behind the read gates (ADR 0008).

Web requests run as the role `safehold_app` with `safehold.agency_id` set to the user's agency
(see safehold/sharing/middleware.py). For that role, cases, people and locations are visible
only when the agency owns them or a live disclosure (any level: name-only records must still
be findable by name) shares them with it, or (for a case) the agency referred it; with no
agency set, nothing is visible. Migrations,
commands and background work run as the connecting (owner) role and are not restricted.
"""

from django.db import migrations

from safehold.sharing import rls

LIVE_DISCLOSURE = """
    EXISTS (
        SELECT 1 FROM sharing_disclosure d
        JOIN sharing_informationsharingagreement a ON a.id = d.agreement_id
        WHERE d.to_agency_id::text = current_setting('safehold.agency_id', true)
          AND d.revoked_at IS NULL
          AND (d.expires_on IS NULL OR d.expires_on >= current_date)
          AND a.start_date <= current_date
          AND (a.end_date IS NULL OR a.end_date >= current_date)
          AND {match}
    )
"""
OWN = "owning_agency_id::text = current_setting('safehold.agency_id', true)"

# The referrer's agency follows its referral to the case's reference and outcome (the read
# gate shows it nothing else), so the row is not hidden from it.
REFERRED = """EXISTS (
        SELECT 1 FROM cases_referral r WHERE r.id = cases_case.referral_id
          AND r.referrer_agency_id::text = current_setting('safehold.agency_id', true)
    )"""
CASE_POLICY = f"{OWN} OR {LIVE_DISCLOSURE.format(match='d.case_id = cases_case.id')} OR {REFERRED}"
PERSON_POLICY = (
    f"{OWN} OR {LIVE_DISCLOSURE.format(match='d.person_id = people_person.id')}"
    " OR EXISTS (SELECT 1 FROM cases_case c WHERE c.subject_id = people_person.id)"
)
LOCATION_POLICY = (
    f"{OWN} OR EXISTS (SELECT 1 FROM cases_case c WHERE c.location_id = people_location.id)"
)

FORWARD = f"""{rls.CREATE_ROLE}GRANT USAGE ON SCHEMA public TO safehold_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO safehold_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO safehold_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO safehold_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO safehold_app;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_auditevent FROM safehold_app;

ALTER TABLE cases_case ENABLE ROW LEVEL SECURITY;
CREATE POLICY agency_cases ON cases_case TO safehold_app USING ({CASE_POLICY}) WITH CHECK ({OWN});
ALTER TABLE people_person ENABLE ROW LEVEL SECURITY;
CREATE POLICY agency_people ON people_person TO safehold_app USING ({PERSON_POLICY}) WITH CHECK ({OWN});
ALTER TABLE people_location ENABLE ROW LEVEL SECURITY;
CREATE POLICY agency_locations ON people_location TO safehold_app USING ({LOCATION_POLICY}) WITH CHECK ({OWN});
"""

BACKWARD = """
DROP POLICY IF EXISTS agency_cases ON cases_case;
ALTER TABLE cases_case DISABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS agency_people ON people_person;
ALTER TABLE people_person DISABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS agency_locations ON people_location;
ALTER TABLE people_location DISABLE ROW LEVEL SECURITY;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("sharing", "0001_initial"),
        ("cases", "0002_catalogues"),
        ("people", "0002_vulnerability_catalogue"),
        ("audit", "0002_chain_head_and_append_only"),
    ]

    operations = [migrations.RunPython(forward, backward)]
