"""Row-level security on intelligence (migration 0002, ADR 0049), the backstop behind the read
gate: what a query that forgot the gate would see, agency by agency (PostgreSQL only)."""

import pytest
from django.db import connection

from safehold.intelligence.tests.helpers import grade, submit
from safehold.sharing.middleware import apply_row_security, reset_row_security

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row-level security is PostgreSQL's"
)


def raw_counts(user) -> dict[str, int]:
    apply_row_security(user)
    try:
        with connection.cursor() as cursor:
            counts = {}
            for table in ("intelligence_intelligence", "intelligence_mention"):
                cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 — fixed names
                counts[table] = cursor.fetchone()[0]
            return counts
    finally:
        reset_row_security()


def test_the_database_gives_submissions_as_the_read_gate_does(
    db, submitter, analyst, partner, stranger
):
    waiting = submit(submitter)
    shared = grade(submit(submitter), analyst)
    named = grade(
        submit(submitter), analyst, handling_code="C", handling_conditions="Safeguarding only",
        share_with=[stranger.agency],
    )  # fmt: skip
    assert waiting and shared and named
    # The submitter's agency and the police: all three, with their mentions (two each).
    assert raw_counts(submitter) == {"intelligence_intelligence": 3, "intelligence_mention": 6}
    assert raw_counts(analyst) == {"intelligence_intelligence": 3, "intelligence_mention": 6}
    # A partner under a live agreement with the police: the graded P one, never a mention.
    assert raw_counts(partner) == {"intelligence_intelligence": 1, "intelligence_mention": 0}
    # An agency named in a C: that one only.
    assert raw_counts(stranger) == {"intelligence_intelligence": 1, "intelligence_mention": 0}


def test_the_application_role_submits_and_grades_under_row_level_security(db, submitter, analyst):
    apply_row_security(submitter)
    try:
        intelligence = submit(submitter)
    finally:
        reset_row_security()
    apply_row_security(analyst)
    try:
        graded = grade(intelligence, analyst)
    finally:
        reset_row_security()
    assert graded.grading == "2/B/P"


@pytest.mark.parametrize("code", ["P", "C"])
@pytest.mark.parametrize("relation", ["agreement", "named", "none"])
@pytest.mark.parametrize("graded", [True, False])
def test_the_database_never_shows_a_partner_more_than_the_read_gate(
    db, submitter, analyst, police, code, relation, graded
):
    from safehold.accounts.choices import Role
    from safehold.accounts.tests.factories import AgencyFactory, UserFactory
    from safehold.intelligence import selectors
    from safehold.intelligence.models import Intelligence
    from safehold.sharing.tests.factories import AgreementFactory

    viewer = UserFactory(agency=AgencyFactory(), role=Role.CASEWORKER)
    if relation == "agreement":
        AgreementFactory(parties=[police, viewer.agency])
    intelligence = grade(
        submit(submitter), analyst, handling_code=code, handling_conditions="Conditions",
        share_with=[viewer.agency] if relation == "named" else [],
    )  # fmt: skip
    if not graded:
        Intelligence.objects.filter(pk=intelligence.pk).update(status="being_assessed")
    gate = selectors.intelligence_visible_to(viewer).count()
    assert raw_counts(viewer) == {"intelligence_intelligence": gate, "intelligence_mention": 0}
