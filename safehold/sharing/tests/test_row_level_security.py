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


# Records that are personal or case data themselves; every table that refers to one (directly or
# through another such table) holds personal data too.
PERSONAL_ROOTS = {"cases.Case", "cases.Referral", "people.Person", "people.Location"}


def personal_tables() -> set[str]:
    """The tables of every model (many-to-many tables included) that refer to personal data."""
    from django.apps import apps

    models = list(apps.get_models(include_auto_created=True))
    personal = {m for m in models if m._meta.label in PERSONAL_ROOTS}
    while True:
        more = {
            m
            for m in models
            if m not in personal
            and any(
                f.concrete and f.is_relation and f.related_model in personal
                for f in m._meta.get_fields()
            )
        }
        if not more:
            return {m._meta.db_table for m in personal}
        personal |= more


def test_every_table_with_personal_data_has_a_row_level_security_policy(db):
    """A module that adds a table referring to a case, person, place or referral must give it
    a policy for the application role (docs/how-to/add-a-module.md)."""
    tables = personal_tables()
    assert {"cases_case", "cases_task", "sharing_disclosure"} <= tables  # the rule finds them
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c WHERE c.relrowsecurity AND EXISTS ("
            " SELECT 1 FROM pg_policies p WHERE p.tablename = c.relname"
            " AND 'safehold_app' = ANY(p.roles))"
        )
        protected = {name for (name,) in cursor.fetchall()}
    assert tables - protected == set()


@pytest.mark.parametrize(
    ("table", "make"),
    [
        ("cases_chronologyentry", lambda case: case.chronology.create(summary="Visit", kind="note", occurred_at=case.created_at)),
        ("cases_task", lambda case: case.tasks.create(title="Visit", owner_agency=case.owning_agency, due_on=case.referral_date)),
        ("cases_riskassessment", lambda case: case.risk_history.create(level="high", rationale="x")),
    ],
)  # fmt: skip
def test_a_case_s_rows_are_visible_only_with_the_case(two_agencies, table, make):
    home, other, ours, theirs = two_agencies
    make(ours), make(theirs)
    agreement = AgreementFactory(parties=[home, other])
    apply_row_security(UserFactory(agency=home))
    try:
        assert raw_count(table) == 1  # its own case's row, not the other agency's
    finally:
        reset_row_security()
    services.disclose(
        agreement=agreement, to_agency=home, level="full", purpose="joint work",
        by=UserFactory(agency=other, role="caseworker"), case=theirs,
    )  # fmt: skip
    apply_row_security(UserFactory(agency=home))
    try:
        assert raw_count(table) == 2  # shared in full: the case's rows come with it
    finally:
        reset_row_security()


@pytest.mark.parametrize("level", ["full", "name_only"])
def test_a_partner_writes_chronology_only_on_a_case_shared_with_it_in_full(two_agencies, level):
    """Issue 14, item 20 (cases migration 0010): the database lets a partner given the case in
    full add a chronology entry, and refuses one given its name only."""
    from django.db import DatabaseError, transaction
    from django.utils import timezone

    from safehold.cases.models import ChronologyEntry

    home, other, ours, _ = two_agencies
    services.disclose(
        agreement=AgreementFactory(parties=[home, other]), to_agency=other, level=level,
        purpose="p", by=UserFactory(agency=home), case=ours,
    )  # fmt: skip
    apply_row_security(UserFactory(agency=other))
    try:
        entry = {"case": ours, "kind": "note", "occurred_at": timezone.now(), "summary": "x"}
        if level == "full":
            with transaction.atomic():
                ChronologyEntry.objects.create(**entry)
        else:
            with pytest.raises(DatabaseError), transaction.atomic():
                ChronologyEntry.objects.create(**entry)
    finally:
        reset_row_security()
    assert ChronologyEntry.objects.filter(case=ours).count() == (1 if level == "full" else 0)
