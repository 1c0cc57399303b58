"""Writing audit events and checking the hash chain that links them."""

import contextvars
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from safehold.audit.chain import keyed_hash, unkeyed_hash
from safehold.audit.choices import Action, Channel, Outcome
from safehold.audit.models import GENESIS_HASH, AuditChainHead, AuditEvent


class AuditChainMissing(RuntimeError):
    """The chain head row is gone: no event can be numbered, so nothing audited can happen."""

    def __init__(self) -> None:
        super().__init__(
            "The audit log cannot be written: its chain head (the row of audit_auditchainhead) "
            "is missing. Run `safehold audit verify` and restore the database from a backup."
        )


@dataclass(frozen=True)
class AuditContext:
    """Where the current work came from: set once per request, CLI command or API call."""

    channel: str = Channel.CLI
    request_id: str = ""
    ip_address: str | None = None


NO_CONTEXT = AuditContext()
_context: contextvars.ContextVar[AuditContext | None] = contextvars.ContextVar(
    "audit_context", default=None
)


@contextmanager
def audit_context(
    *, channel: str, request_id: str = "", ip_address: str | None = None
) -> Iterator[None]:
    token = _context.set(
        AuditContext(
            channel=channel, request_id=request_id or uuid.uuid4().hex, ip_address=ip_address
        )
    )
    try:
        yield
    finally:
        _context.reset(token)


def current_context() -> AuditContext:
    """The context set by the request, API call or command; outside any, the command line."""
    return _context.get() or NO_CONTEXT


def compute_hash(event: AuditEvent) -> str:
    """The hash a new event carries: an HMAC-SHA256 with the audit key (chain version 2)."""
    return keyed_hash(event)


def _ids(values: Iterable[Any]) -> str:
    seen: dict[str, None] = {}
    for value in values:
        key = str(value.pk if isinstance(value, models.Model) else value)
        seen.setdefault(key, None)
    return " ".join(seen)


def record(
    *,
    action: str,
    actor=None,
    target: models.Model | None = None,
    targets: Iterable[models.Model] = (),
    object_type: str = "",
    object_ids: Iterable[Any] = (),
    subjects: Iterable[Any] = (),
    purpose: str = "",
    outcome: str = Outcome.ALLOWED,
    channel: str | None = None,
    agreement_id: uuid.UUID | None = None,
    legal_gateway: str = "",
    recipient_agencies: Iterable[Any] = (),
    recipient_users: Iterable[Any] = (),
    actor_label: str = "",
) -> AuditEvent:
    """Append one event to the chain, in the caller's transaction.

    If this raises, the caller's change is rolled back with it: a change that cannot be
    audited does not happen.
    """
    targets = list(targets)
    if target is not None:
        targets.insert(0, target)
    if targets and not object_type:
        object_type = targets[0]._meta.label_lower
    ctx = current_context()
    event = AuditEvent(
        occurred_at=timezone.now(),
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=actor_label
        or (actor.email if actor is not None and actor.is_authenticated else ""),
        actor_agency_id=getattr(actor, "agency_id", None),
        actor_role=getattr(actor, "role", "") or "",
        action=Action(action),
        object_type=object_type,
        object_ids=_ids([*targets, *object_ids]),
        subject_ids=_ids(subjects),
        purpose=purpose,
        agreement_id=agreement_id,
        legal_gateway=legal_gateway,
        recipient_agency_ids=_ids(recipient_agencies),
        recipient_user_ids=_ids(recipient_users),
        channel=Channel(channel or ctx.channel),
        request_id=ctx.request_id,
        ip_address=ctx.ip_address,
        outcome=Outcome(outcome),
    )
    pending = _batch.get()
    if pending is not None:
        pending.append(event)  # no savepoint: nothing is written until the batch appends
    else:
        with transaction.atomic():
            _append([event])
    return event


def _append(events: list[AuditEvent]) -> None:
    """Number, chain and insert events under the chain head's lock (held until commit)."""
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        raise AuditChainMissing
    last_id, last_hash = head.last_event_id, head.last_hash
    for event in events:
        last_id += 1
        event.id, event.prev_hash = last_id, last_hash
        event.hash = last_hash = compute_hash(event)
    if len(events) == 1:
        events[0].save(force_insert=True)
    else:
        AuditEvent.objects.bulk_create(events, batch_size=1000)
    AuditChainHead.objects.filter(pk=1).update(last_event_id=last_id, last_hash=last_hash)


_batch: contextvars.ContextVar[list[AuditEvent] | None] = contextvars.ContextVar(
    "audit_batch", default=None
)


@contextmanager
def batched(*, savepoint: bool = True) -> Iterator[None]:
    """Collect the events of a long piece of work and append them together at its end.

    For imports and other bulk work: the chain head is locked only for the final append, not
    from the first event to the commit, so other users' requests are not held up. Use it inside
    the work's transaction; if the work fails, its events are dropped with it.

    `savepoint=False` appends without a savepoint of its own: for a caller whose whole
    transaction fails with a failed append anyway (a view's request transaction).
    """
    if _batch.get() is not None:
        yield  # already batching: the outer batch appends
        return
    events: list[AuditEvent] = []
    token = _batch.set(events)
    try:
        yield
    finally:
        _batch.reset(token)
    if events:
        with transaction.atomic(savepoint=savepoint):
            _append(events)


@contextmanager
def immediately() -> Iterator[None]:
    """Append events as they are recorded, even inside a batch (every view runs in one).

    For work that changes a second store after writing its event, such as an import that
    renames a Parquet file into place inside the event's transaction (ADR 0014): the event
    must be in the database, committed with that transaction, before the file is replaced, not
    left in a batch that a failure later in the view would drop.
    """
    token = _batch.set(None)
    try:
        yield
    finally:
        _batch.reset(token)


@dataclass(frozen=True)
class ChainReport:
    """What `verify_chain` found: how many events it checked and the first problem, if any
    (with the event it concerns, when there is one)."""

    checked: int
    broken_event_id: int | None = None
    reason: str = ""
    last_event_id: int = 0
    last_hash: str = ""

    @property
    def ok(self) -> bool:
        return not self.reason


def verify_chain(*, chunk_size: int = 5000) -> ChainReport:
    """Walk the chain from the first event and report the first one that does not hold.

    Events before the head's `keyed_from` carry the unkeyed hash of chain version 1; every
    later one must carry the keyed hash, which the database roles cannot compute (ADR 0024).
    """
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None:
        return ChainReport(
            0,
            reason="the chain head (the row of audit_auditchainhead naming the newest event) is "
            "missing, so removed events cannot be detected and no event can be written",
        )
    expected_id, prev_hash, checked = 1, GENESIS_HASH, 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=chunk_size):
        if event.id != expected_id:
            return ChainReport(
                checked,
                expected_id,
                f"event #{expected_id} is missing (the next event is #{event.id})",
            )
        keyed = event.id >= head.keyed_from
        if (keyed_hash(event) if keyed else unkeyed_hash(event)) != event.hash:
            reason = f"event #{event.id} was altered or forged: its contents do not match its hash"
            if event.id == head.keyed_from:
                reason += " (or SAFEHOLD_AUDIT_KEY is not the key the chain was written with)"
            return ChainReport(checked, event.id, reason)
        if event.prev_hash != prev_hash:
            return ChainReport(
                checked,
                event.id,
                f"event #{event.id} does not follow event #{event.id - 1}: "
                "the chain is broken or reordered",
            )
        prev_hash, expected_id, checked = event.hash, expected_id + 1, checked + 1
    if checked and head.keyed_from >= expected_id:
        # A chain with events has a keyed one: audit/0003 appended it to an existing chain.
        return ChainReport(
            checked,
            head.keyed_from,
            f"event #{head.keyed_from}, the first with a keyed hash, is missing",
        )
    # Read again: events appended while the walk ran have moved the head on since.
    head = AuditChainHead.objects.filter(pk=1).first() or head
    last_id = expected_id - 1
    if head.last_event_id < last_id:
        return ChainReport(
            checked,
            head.last_event_id + 1,
            f"the chain head names event #{head.last_event_id}, but the chain goes on to "
            f"#{last_id}: the head was moved back",
        )
    if head.last_event_id == last_id and head.last_hash == prev_hash:
        return ChainReport(checked, last_event_id=last_id, last_hash=prev_hash)
    appended_since = (
        AuditEvent.objects.filter(id=last_id + 1, prev_hash=prev_hash).exists()
        and AuditEvent.objects.filter(id=head.last_event_id, hash=head.last_hash).exists()
    )
    if head.last_event_id > last_id and appended_since:
        return ChainReport(checked, last_event_id=last_id, last_hash=prev_hash)
    return ChainReport(
        checked,
        expected_id,
        f"events after #{last_id} are missing (the newest recorded is #{head.last_event_id})",
    )
