"""Key the audit chain and protect its head (ADR 0024).

From this migration on, each event's hash is an HMAC-SHA256 with the audit key (settings,
never the database). The head records the first keyed event (`keyed_from`): the events already
written keep their plain SHA-256 hashes and stay verifiable. On a database that has events,
the migration appends that first keyed event itself, so it has one at once: its keyed hash
covers the last unkeyed hash, anchoring the older events. A new database's first event is
keyed anyway.

The head can then only move forward, onto an event that is there and follows the previous
head, and can never be deleted or truncated (triggers, for every role; the application role
`safehold_app` also loses INSERT, DELETE and TRUNCATE on it).
"""

from django.db import migrations, models
from django.utils import timezone

from safehold.audit.chain import keyed_hash

# One condition, shared by PostgreSQL and SQLite, for an UPDATE the head may not make.
BAD_HEAD_UPDATE = """
    NEW.id <> OLD.id OR NEW.keyed_from <> OLD.keyed_from
    OR NEW.last_event_id < OLD.last_event_id
    OR (NEW.last_event_id = OLD.last_event_id AND NEW.last_hash <> OLD.last_hash)
    OR (NEW.last_event_id > OLD.last_event_id AND (
        NOT EXISTS (SELECT 1 FROM audit_auditevent e
                    WHERE e.id = NEW.last_event_id AND e.hash = NEW.last_hash)
        OR NOT EXISTS (SELECT 1 FROM audit_auditevent e
                       WHERE e.id = OLD.last_event_id + 1 AND e.prev_hash = OLD.last_hash)))
"""

PROTECT_HEAD_SQL = f"""
CREATE OR REPLACE FUNCTION safehold_audit_head_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF EXISTS (SELECT 1 FROM audit_auditchainhead) THEN
            RAISE EXCEPTION 'the audit chain head exists already: INSERT refused'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP <> 'UPDATE' THEN
        RAISE EXCEPTION 'the audit chain head cannot be removed: % refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF {BAD_HEAD_UPDATE} THEN
        RAISE EXCEPTION 'the audit chain head only moves forward, onto the events that follow it'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_head_guard
    BEFORE INSERT OR UPDATE OR DELETE ON audit_auditchainhead
    FOR EACH ROW EXECUTE FUNCTION safehold_audit_head_guard();

CREATE TRIGGER audit_head_no_truncate
    BEFORE TRUNCATE ON audit_auditchainhead
    FOR EACH STATEMENT EXECUTE FUNCTION safehold_audit_head_guard();

REVOKE INSERT, DELETE, TRUNCATE ON audit_auditchainhead FROM safehold_app;
"""

UNPROTECT_HEAD_SQL = """
DROP TRIGGER IF EXISTS audit_head_no_truncate ON audit_auditchainhead;
DROP TRIGGER IF EXISTS audit_head_guard ON audit_auditchainhead;
DROP FUNCTION IF EXISTS safehold_audit_head_guard();
GRANT INSERT, DELETE ON audit_auditchainhead TO safehold_app;
"""

SQLITE_PROTECT_HEAD = [
    """CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_auditchainhead
       BEGIN SELECT RAISE(ABORT, 'the audit chain head cannot be removed: DELETE refused'); END""",
    """CREATE TRIGGER audit_head_no_insert BEFORE INSERT ON audit_auditchainhead
       WHEN EXISTS (SELECT 1 FROM audit_auditchainhead)
       BEGIN SELECT RAISE(ABORT, 'the audit chain head exists already: INSERT refused'); END""",
    f"""CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_auditchainhead
       WHEN {BAD_HEAD_UPDATE}
       BEGIN SELECT RAISE(ABORT,
           'the audit chain head only moves forward, onto the events that follow it'); END""",
]
SQLITE_UNPROTECT_HEAD = [
    "DROP TRIGGER IF EXISTS audit_head_no_delete",
    "DROP TRIGGER IF EXISTS audit_head_no_insert",
    "DROP TRIGGER IF EXISTS audit_head_forward_only",
]


def append_first_keyed_event(apps, schema_editor):
    """Append the event from which the chain is keyed, and record it on the head."""
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    head, _ = AuditChainHead.objects.get_or_create(pk=1)
    if head.last_event_id == 0:
        return  # no events yet: keyed from the first (the field's default)
    event = AuditEvent(
        id=head.last_event_id + 1,
        occurred_at=timezone.now(),
        actor_label="safehold migrate",
        action="alter",
        object_type="audit.auditchainhead",
        purpose="audit chain keyed: from this event on, each hash is an HMAC-SHA256 "
        "with the audit key (ADR 0024)",
        channel="cli",
        outcome="allowed",
        prev_hash=head.last_hash,
    )
    event.hash = keyed_hash(event)
    event.save(force_insert=True)
    AuditChainHead.objects.filter(pk=1).update(
        keyed_from=event.id, last_event_id=event.id, last_hash=event.hash
    )


def _run(schema_editor, *, postgresql: str, sqlite: list[str]) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(postgresql, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in sqlite:
            schema_editor.execute(statement)


def protect_head(apps, schema_editor):
    _run(schema_editor, postgresql=PROTECT_HEAD_SQL, sqlite=SQLITE_PROTECT_HEAD)


def unprotect_head(apps, schema_editor):
    _run(schema_editor, postgresql=UNPROTECT_HEAD_SQL, sqlite=SQLITE_UNPROTECT_HEAD)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_chain_head_and_append_only"),
        # The role `safehold_app` whose rights on the head are narrowed here.
        ("sharing", "0002_row_level_security"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditchainhead",
            name="keyed_from",
            field=models.BigIntegerField(default=1),
        ),
        # Irreversible: the keyed events cannot be un-keyed, and a chain migrated back and
        # forth would take them for unkeyed ones.
        migrations.RunPython(append_first_keyed_event),
        migrations.RunPython(protect_head, unprotect_head),
    ]
