import importlib
import itertools

import pytest
from django.apps import apps as django_apps
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import override_settings
from django.utils import timezone

from safehold import audit
from safehold.audit.chain import keyed_hash, unkeyed_hash
from safehold.audit.choices import Action
from safehold.audit.models import GENESIS_HASH, AuditChainHead, AuditEvent
from safehold.audit.services import AuditChainMissing, verify_chain
from safehold.audit.tests.tampering import (
    as_application_role,
    as_database_owner,
    remove_the_chain_head,
)
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


def assert_reported(event_id: int, word: str) -> None:
    """`verify_chain` and `safehold audit verify` (exit 1) both name the event."""
    report = verify_chain()
    assert report.broken_event_id == event_id
    assert word in report.reason
    with pytest.raises(CommandError, match=f"broken at event #{event_id}"):
        call_command("audit", "verify")


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
    assert_reported(victim.id, "altered")


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
    out = capsys.readouterr().out
    newest = five_events[-1]
    assert f"{len(five_events)} event(s) verified; the newest is #{newest.id}" in out
    assert newest.hash in out


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


def _forge(*, hash_with: str) -> AuditEvent:
    """An event appended as the application role, its hash computed without the audit key,
    and the head moved onto it (which the head's triggers allow: it follows the chain)."""
    head = AuditChainHead.objects.get(pk=1)
    forged = AuditEvent(
        id=head.last_event_id + 1,
        occurred_at=timezone.now(),
        actor_label="nobody@example.org",
        action=Action.CONSULT,
        object_type="people.person",
        purpose="view person",
        channel="web",
        prev_hash=head.last_hash,
    )
    if hash_with == "unkeyed":
        forged.hash = unkeyed_hash(forged)
    else:
        with override_settings(SAFEHOLD_AUDIT_KEY="a-guessed-key"):
            forged.hash = keyed_hash(forged)
    with as_application_role():
        forged.save(force_insert=True)
        AuditChainHead.objects.filter(pk=1).update(last_event_id=forged.id, last_hash=forged.hash)
    assert AuditChainHead.objects.get(pk=1).last_event_id == forged.id
    return forged


@pytest.mark.parametrize("hash_with", ["unkeyed", "a guessed key"])
def test_an_event_forged_by_the_application_role_is_reported(five_events, hash_with):
    assert verify_chain().ok  # the untouched chain holds
    forged = _forge(hash_with=hash_with)
    assert_reported(forged.id, "forged")


def test_events_appended_as_the_application_role_through_safehold_verify(caseworker):
    person = PersonFactory(owning_agency=caseworker.agency)
    with as_application_role():
        audit.record(action=Action.CONSULT, actor=caseworker, target=person, subjects=[person])
        audit.record(action=Action.CONSULT, actor=caseworker, target=person, subjects=[person])
    assert verify_chain().ok


HEAD_CHANGES = {
    "delete": "DELETE FROM audit_auditchainhead",
    "move back": "UPDATE audit_auditchainhead SET last_event_id = last_event_id - 1",
    "rewrite the hash": "UPDATE audit_auditchainhead SET last_hash = %s",
    "move past the events": "UPDATE audit_auditchainhead SET last_event_id = last_event_id + 5",
    "change where keying starts": "UPDATE audit_auditchainhead SET keyed_from = keyed_from + 1",
    "add a second head": "INSERT INTO audit_auditchainhead "
    "(id, last_event_id, last_hash, keyed_from) VALUES (2, 0, %s, 1)",
}


@pytest.mark.parametrize("change", HEAD_CHANGES)
def test_the_application_role_cannot_remove_or_move_back_the_chain_head(five_events, change):
    statement = HEAD_CHANGES[change]
    before = AuditChainHead.objects.values().get(pk=1)
    with (
        as_application_role() as cursor,
        pytest.raises(DatabaseError),
        transaction.atomic(),
    ):
        cursor.execute(statement, ["f" * 64] if "%s" in statement else None)
    assert list(AuditChainHead.objects.values()) == [before]
    assert verify_chain().ok


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE exists on PostgreSQL only")
def test_the_application_role_cannot_truncate_the_chain_head(five_events):
    with (
        as_application_role() as cursor,
        pytest.raises(DatabaseError),
        transaction.atomic(),
    ):
        cursor.execute("TRUNCATE audit_auditchainhead")
    assert AuditChainHead.objects.filter(pk=1).exists()


def test_a_missing_chain_head_is_reported_not_crashed_on(five_events):
    remove_the_chain_head()
    report = verify_chain()
    assert not report.ok and "chain head" in report.reason and "missing" in report.reason
    with pytest.raises(CommandError, match=r"Audit chain broken: the chain head .* is missing"):
        call_command("audit", "verify")


def test_recording_with_a_missing_chain_head_fails_with_a_clear_error(caseworker):
    remove_the_chain_head()
    with pytest.raises(AuditChainMissing, match=r"its chain head .* is missing"):
        audit.record(action=Action.CONSULT, actor=caseworker, purpose="test")


KEYING = importlib.import_module("safehold.audit.migrations.0003_keyed_chain_and_protected_head")


def test_events_written_before_the_chain_was_keyed_still_verify_and_are_anchored(caseworker):
    # A chain as it was before the key: three events with plain SHA-256 hashes.
    with as_database_owner() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
        cursor.execute(
            "UPDATE audit_auditchainhead SET last_event_id = 0, last_hash = %s, keyed_from = 1",
            [GENESIS_HASH],
        )
        prev = GENESIS_HASH
        for n in range(1, 4):
            old = AuditEvent(
                id=n, occurred_at=timezone.now(), action=Action.CONSULT, purpose=f"old {n}",
                channel="web", prev_hash=prev,
            )  # fmt: skip
            old.hash = prev = unkeyed_hash(old)
            old.save(force_insert=True)
        cursor.execute("UPDATE audit_auditchainhead SET last_event_id = 3, last_hash = %s", [prev])
        KEYING.append_first_keyed_event(django_apps, None)
    assert AuditChainHead.objects.get(pk=1).keyed_from == 4
    audit.record(action=Action.CONSULT, actor=caseworker, purpose="new")
    assert verify_chain().checked == 5 and verify_chain().ok

    # Nobody without the key can rewrite the old events: the first keyed event anchors them.
    with as_database_owner() as cursor:
        cursor.execute("UPDATE audit_auditevent SET purpose = 'rewritten' WHERE id = 2")
        rewritten = AuditEvent.objects.get(id=2)
        rewritten.hash = unkeyed_hash(rewritten)
        cursor.execute("UPDATE audit_auditevent SET hash = %s WHERE id = 2", [rewritten.hash])
    assert verify_chain().broken_event_id == 3


def test_moving_where_keying_starts_is_reported(five_events):
    # Even the owner, who can step around the triggers, cannot make keyed events pass as
    # unkeyed ones.
    for keyed_from in (five_events[-1].id, five_events[-1].id + 1):
        with as_database_owner() as cursor:
            cursor.execute("UPDATE audit_auditchainhead SET keyed_from = %s", [keyed_from])
        assert not verify_chain().ok
