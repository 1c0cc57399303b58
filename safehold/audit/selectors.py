"""Reading the audit log: information-governance officers see their own agency's activity and,
for a record their agency may see, what other agencies did to that record itself."""

import datetime
import uuid
from collections.abc import Iterable, Iterator
from itertools import islice

from django.db.models import Q, QuerySet
from django.utils import timezone

from safehold.audit.models import AuditEvent
from safehold.audit.rules import can_search_audit
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


def search_audit_events(
    user,
    *,
    actor_id: str | None = None,
    record_id: str | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    """The audit search screen's query: newest first, within the user's scope.

    With a record: the own agency's events naming it, and, if the user may see the record,
    other agencies' events whose own object it is (never those where it is only the subject of
    another record, such as a case the user may not see). A record the user may not see gives
    what an id that names nothing gives. Show what this returns through `redacted`.
    """
    if not can_search_audit(user):
        return AuditEvent.objects.none()
    scope = Q(actor_agency=user.agency_id)
    if record_id:
        scope &= Q(object_ids__contains=record_id) | Q(subject_ids__contains=record_id)
        object_type = visible_record_type(user, record_id)
        if object_type:
            # Not a disclosure to a third agency: who else a record went to is the sharer's.
            scope |= Q(object_type=object_type, object_ids__contains=record_id) & (
                Q(recipient_agency_ids="") | Q(recipient_agency_ids__contains=str(user.agency_id))
            )
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
