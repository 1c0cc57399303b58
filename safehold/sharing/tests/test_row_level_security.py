"""PostgreSQL row-level security, the backstop behind the read gates (PostgreSQL only)."""

import pytest
from django.db import connection

from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory
from safehold.sharing import services
from safehold.sharing.middleware import apply_row_security, reset_row_security
from safehold.sharing.tests.factories import AgreementFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row-level security is PostgreSQL's"
)


def raw_count(table: str) -> int:
    """What a query that forgot the read gate would see."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 — fixed table names
        return cursor.fetchone()[0]


@pytest.fixture
def two_agencies(db):
    home, other = AgencyFactory(), AgencyFactory()
    ours = CaseFactory(programme=ProgrammeFactory(lead_agency=home))
    theirs = CaseFactory(programme=ProgrammeFactory(lead_agency=other))
    return home, other, ours, theirs


def test_a_restricted_connection_sees_only_its_agencys_rows(two_agencies):
    home, _, _, _ = two_agencies
    apply_row_security(UserFactory(agency=home))
    try:
        assert raw_count("cases_case") == 1
        assert raw_count("people_person") == 1
    finally:
        reset_row_security()
    assert raw_count("cases_case") == 2


def test_with_no_agency_set_nothing_is_visible(two_agencies):
    with connection.cursor() as cursor:
        cursor.execute("SET ROLE safehold_app")
    try:
        assert raw_count("cases_case") == 0
        assert raw_count("people_person") == 0
        assert raw_count("people_location") == 0
    finally:
        reset_row_security()


def test_a_live_disclosure_opens_the_row_and_revoking_closes_it(two_agencies):
    home, other, ours, _ = two_agencies
    sharer = UserFactory(agency=home)
    agreement = AgreementFactory(parties=[home, other])
    disclosure = services.disclose(
        agreement=agreement, to_agency=other, level="full", purpose="p", by=sharer, case=ours
    )
    recipient = UserFactory(agency=other)
    apply_row_security(recipient)
    try:
        assert raw_count("cases_case") == 2
    finally:
        reset_row_security()
    services.revoke(disclosure=disclosure, by=sharer, reason="done")
    apply_row_security(recipient)
    try:
        assert raw_count("cases_case") == 1
    finally:
        reset_row_security()


def test_the_application_role_cannot_write_another_agencys_row(two_agencies):
    from django.db import DatabaseError, transaction

    home, _, _, theirs = two_agencies
    apply_row_security(UserFactory(agency=home))
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE cases_case SET risk_level = 'high' WHERE id = %s", [theirs.pk])
            assert cursor.rowcount == 0  # invisible rows cannot be updated
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditevent SET purpose = 'x'")
    finally:
        reset_row_security()
