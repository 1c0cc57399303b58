import itertools

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from safehold import audit
from safehold.audit.choices import Action
from safehold.audit.models import AuditEvent
from safehold.audit.services import verify_chain
from safehold.audit.tests.tampering import as_database_owner
from safehold.people.tests.factories import PersonFactory


@pytest.fixture
def five_events(caseworker):
    person = PersonFactory(owning_agency=caseworker.agency)
    for _ in range(5):
        audit.record(
            action=Action.CONSULT,
            actor=caseworker,
            target=person,
            subjects=[person],
            purpose="test",
        )
    return list(AuditEvent.objects.order_by("id"))


def test_events_are_numbered_without_gaps_and_chained(five_events):
    ids = [e.id for e in five_events]
    assert ids == list(range(ids[0], ids[0] + len(ids)))
    for before, after in itertools.pairwise(five_events):
        assert after.prev_hash == before.hash
    assert verify_chain().ok


def test_the_event_records_who_when_what_and_about_whom(caseworker):
    person = PersonFactory(owning_agency=caseworker.agency)
    event = audit.record(
        action=Action.CONSULT, actor=caseworker, target=person, subjects=[person], purpose="why"
    )
    event.refresh_from_db()
    assert event.actor == caseworker
    assert event.actor_agency == caseworker.agency
    assert event.actor_role == caseworker.role
    assert event.object_type == "people.person"
    assert event.object_ids == str(person.pk)
    assert event.subject_ids == str(person.pk)
    assert event.purpose == "why"
    assert event.occurred_at is not None


def test_editing_one_event_with_sql_is_reported_naming_that_event(five_events):
    victim = five_events[2]
    with as_database_owner() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET purpose = %s WHERE id = %s", ["nothing to see", victim.id]
        )
    report = verify_chain()
    assert report.broken_event_id == victim.id
    assert "altered" in report.reason
    with pytest.raises(CommandError, match=f"event #{victim.id}"):
        call_command("audit", "verify")


def test_rehashing_an_edited_event_still_breaks_the_link_to_the_next(five_events):
    from safehold.audit.services import compute_hash

    victim = five_events[1]
    victim.purpose = "rewritten"
    forged = compute_hash(victim)
    with as_database_owner() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET purpose = %s, hash = %s WHERE id = %s",
            ["rewritten", forged, victim.id],
        )
    report = verify_chain()
    assert report.broken_event_id == five_events[2].id


def test_deleting_an_event_is_reported_naming_the_missing_event(five_events):
    victim = five_events[3]
    with as_database_owner() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [victim.id])
    report = verify_chain()
    assert report.broken_event_id == victim.id
    assert "missing" in report.reason


def test_deleting_the_newest_event_is_reported(five_events):
    with as_database_owner() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [five_events[-1].id])
    report = verify_chain()
    assert report.broken_event_id == five_events[-1].id


def test_reordering_two_events_is_reported(five_events):
    a, b = five_events[1], five_events[2]
    with as_database_owner() as cursor:
        cursor.execute("UPDATE audit_auditevent SET id = -1 WHERE id = %s", [a.id])
        cursor.execute("UPDATE audit_auditevent SET id = %s WHERE id = %s", [a.id, b.id])
        cursor.execute("UPDATE audit_auditevent SET id = %s WHERE id = -1", [b.id])
    report = verify_chain()
    assert report.broken_event_id == a.id


def test_verify_command_reports_an_intact_chain(five_events, capsys):
    call_command("audit", "verify")
    assert f"{len(five_events)} event(s) verified" in capsys.readouterr().out


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET purpose = 'x'",
        "DELETE FROM audit_auditevent",
    ],
)
def test_the_application_connection_cannot_change_audit_rows(five_events, statement):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AuditEvent.objects.count() == len(five_events)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE exists on PostgreSQL only")
def test_the_application_connection_cannot_truncate_the_audit_table(five_events):
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # settle the test's pending FK checks first
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("TRUNCATE audit_auditevent CASCADE")
    assert AuditEvent.objects.count() == len(five_events)


def test_a_batch_appends_its_events_in_order_at_the_end(caseworker):
    person = PersonFactory(owning_agency=caseworker.agency)
    before = AuditEvent.objects.count()
    with audit.batched():
        for n in range(3):
            audit.record(
                action=Action.CONSULT, actor=caseworker, target=person, purpose=f"batch {n}"
            )
        assert AuditEvent.objects.count() == before  # nothing written until the batch ends
    assert list(AuditEvent.objects.order_by("id").values_list("purpose", flat=True))[-3:] == [
        "batch 0",
        "batch 1",
        "batch 2",
    ]
    assert verify_chain().ok


def test_a_failed_batch_leaves_no_events(caseworker):
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic(), audit.batched():
        audit.record(action=Action.CONSULT, actor=caseworker, purpose="lost")
        raise RuntimeError("the work failed")
    assert AuditEvent.objects.count() == before
    assert verify_chain().ok
