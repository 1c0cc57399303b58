"""Reading the audit log: information-governance officers see their own agency's activity and,
for a record their agency may see, what other agencies did to that record itself."""

import datetime
import uuid
from collections.abc import Iterable, Iterator
from itertools import islice

from django.apps import apps
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst

from safehold.audit.choices import Action
from safehold.audit.models import AuditEvent
from safehold.audit.rules import can_search_audit
from safehold.core.locking import LastChange
from safehold.core.registry import record_kinds


def _gates(user) -> dict[str, QuerySet]:
    """The read gates of the records an audit search can name, by their event object type:
    each app registers its kinds of record (`core.registry.RecordKind`), so the audit app
    knows no domain app."""
    return {kind.object_type: kind.visible_to(user) for kind in record_kinds()}


def _uuids(values: Iterable[str]) -> set[uuid.UUID]:
    found = set()
    for value in values:
        try:
            found.add(uuid.UUID(value))
        except ValueError:
            continue
    return found


def visible_record_type(user, record_id: str) -> str | None:
    """The object type of the person, place or case `record_id` names, if the user may see
    it through its read gate; otherwise None, whether or not it exists."""
    pk = _uuids([record_id.strip()])
    if not pk:
        return None
    for object_type, gate in _gates(user).items():
        if gate.filter(pk__in=pk).exists():
            return object_type
    return None


# At most this many records of each kind are searched for when words name several (a common
# surname): the page says to narrow the search when there are more.
MOST_RECORDS = 50


def records_named(user, text: str) -> dict[str, list[str]]:
    """The ids of the records the user may see that `text` names, by object type: a case by
    its reference, a person by their name, a place by its address or postcode (each kind's
    own search, through its read gate: `RecordKind.find`). What the user may not see is not
    found, so an unshared case's reference gives what a reference of nothing gives."""
    found: dict[str, list[str]] = {}
    for kind in record_kinds():
        if kind.find is None or not text.strip():
            continue
        ids = [str(pk) for pk in kind.find(user, text).values_list("pk", flat=True)[:MOST_RECORDS]]
        if ids:
            found[kind.object_type] = ids
    return found


def _naming(ids: Iterable[str]) -> Q:
    naming = Q(pk__in=[])
    for pk in ids:
        naming |= Q(object_ids__contains=pk) | Q(subject_ids__contains=pk)
    return naming


def _their_events_on(object_type: str, ids: Iterable[str], agency_id) -> Q:
    """Other agencies' events whose own object is one of these records (visible to the
    searcher), never a disclosure to a third agency: who else a record went to is the
    sharer's."""
    objects = Q(pk__in=[])
    for pk in ids:
        objects |= Q(object_ids__contains=pk)
    return (
        Q(object_type=object_type)
        & objects
        & (Q(recipient_agency_ids="") | Q(recipient_agency_ids__contains=str(agency_id)))
    )


def search_audit_events(
    user,
    *,
    actor_id: str | None = None,
    record_id: str | None = None,
    record: str | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    """The audit search screen's query: newest first, within the user's scope.

    With a record (`record_id`, or `record`: an id, a case reference, a person's name or an
    address): the own agency's events naming it, and, if the user may see the record, other
    agencies' events whose own object it is (never those where it is only the subject of
    another record, such as a case the user may not see). A record the user may not see gives
    what an id that names nothing gives. Show what this returns through `redacted`.
    """
    if not can_search_audit(user):
        return AuditEvent.objects.none()
    record = (record_id or record or "").strip()
    scope = Q(actor_agency=user.agency_id)
    if record and _uuids([record]):
        scope &= Q(object_ids__contains=record) | Q(subject_ids__contains=record)
        object_type = visible_record_type(user, record)
        if object_type:
            scope |= _their_events_on(object_type, [record], user.agency_id)
    elif record:
        named = records_named(user, record)
        scope &= _naming(pk for ids in named.values() for pk in ids)
        for object_type, ids in named.items():
            scope |= _their_events_on(object_type, ids, user.agency_id)
    events = AuditEvent.objects.filter(scope)
    if actor_id:
        events = events.filter(actor_id=actor_id)
    tz = timezone.get_current_timezone()
    if date_from:
        events = events.filter(
            occurred_at__gte=datetime.datetime.combine(date_from, datetime.time.min, tz)
        )
    if date_to:
        events = events.filter(
            occurred_at__lt=datetime.datetime.combine(
                date_to + datetime.timedelta(days=1), datetime.time.min, tz
            )
        )
    return events.select_related("actor", "actor_agency").order_by("-id")


def redacted(user, events: Iterable[AuditEvent], *, batch: int = 2000) -> Iterator[AuditEvent]:
    """The events as the user may read them: in another agency's events, the ids of records
    the user may not see and of agencies and users other than the user's own are left out.

    The events are changed in memory only (the table is append-only).
    """
    own_agency = str(user.agency_id)
    events = iter(events)
    while chunk := list(islice(events, batch)):
        theirs = [e for e in chunk if str(e.actor_agency_id) != own_agency]
        named = _uuids(pk for e in theirs for pk in f"{e.object_ids} {e.subject_ids}".split())
        visible = {
            str(pk)
            for gate in _gates(user).values()
            for pk in gate.filter(pk__in=named).values_list("pk", flat=True)
        }
        for event in theirs:
            event.object_ids = _keep(event.object_ids, visible)
            event.subject_ids = _keep(event.subject_ids, visible)
            event.recipient_agency_ids = _keep(event.recipient_agency_ids, {own_agency})
            event.recipient_user_ids = ""
        yield from chunk


def _keep(ids: str, allowed: set[str]) -> str:
    return " ".join(pk for pk in ids.split() if pk in allowed)


def kind_in_words(object_type: str) -> str:
    """What an event's object type is, as a person reads it: "Case", "Indicator value"."""
    for kind in record_kinds():
        if kind.object_type == object_type and kind.title:
            return kind.title
    try:
        return capfirst(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


def with_records(user, events: Iterable[AuditEvent]) -> list[AuditEvent]:
    """The events (already `redacted`), each with `records`: what it names as a person reads
    it ("Case EXP-2026-0004: …", linked to its page) for the records the user may see through
    their kind's read gate, else the kind in words and the id. One query per kind of record."""
    events = list(events)
    kinds = {kind.object_type: kind for kind in record_kinds()}
    wanted: dict[str, set[uuid.UUID]] = {}
    for event in events:
        if event.object_type in kinds:
            wanted.setdefault(event.object_type, set()).update(_uuids(event.object_ids.split()))
    shown: dict[str, tuple] = {}
    for object_type, ids in wanted.items():
        kind = kinds[object_type]
        for found in kind.visible_to(user).filter(pk__in=ids).select_related(*kind.related):
            shown[str(found.pk)] = (kind, found)
    for event in events:
        words = kind_in_words(event.object_type) if event.object_type else ""
        event.records = []
        for pk in event.object_ids.split():
            if pk in shown:
                kind, found = shown[pk]
                url = reverse(kind.detail_url, args=[found.pk]) if kind.detail_url else ""
                text = f"{kind.title or words} {kind.display_name(found)}"
                event.records.append({"text": text, "url": url})
            else:
                event.records.append({"text": words, "id": pk})
        if not event.records and words:
            event.records.append({"text": words})
    return events


def last_change(record) -> LastChange | None:
    """Who made a record's last change and when, from the audit trail (ADR 0061): the newest
    event recording or changing it. Only for the conflict message of someone who may edit the
    record, so it reads no event content beyond the actor's name and the time."""
    event = (
        AuditEvent.objects.filter(
            object_type=record._meta.label_lower,
            object_ids__contains=str(record.pk),
            action__in=[Action.COLLECT, Action.ALTER],
        )
        .select_related("actor")
        .order_by("-id")
        .only("occurred_at", "actor__full_name", "actor_label")
        .first()
    )
    if event is None:
        return None
    name = event.actor.full_name if event.actor_id else event.actor_label or "Safehold"
    return LastChange(by=name, at=event.occurred_at)
