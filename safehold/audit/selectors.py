"""Reading the audit log: information-governance officers see their own agency's activity,
and all activity on a record their agency can see."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from safehold.audit.models import AuditEvent


def audit_events_visible_to(user, *, record_ids: list[str] | None = None) -> QuerySet[AuditEvent]:
    """Events by the user's agency, plus any event on the given records (already checked
    visible to the user by the caller's selector)."""
    scope = Q(actor_agency=user.agency_id)
    for record_id in record_ids or []:
        scope |= Q(object_ids__contains=record_id) | Q(subject_ids__contains=record_id)
    return AuditEvent.objects.filter(scope).select_related("actor", "actor_agency")


def search_audit_events(
    user,
    *,
    actor_id: str | None = None,
    record_id: str | None = None,
    record_visible: bool = False,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    """The audit search screen's query: newest first, within the user's scope."""
    events = audit_events_visible_to(
        user, record_ids=[record_id] if record_id and record_visible else None
    )
    if actor_id:
        events = events.filter(actor_id=actor_id)
    if record_id:
        events = events.filter(
            Q(object_ids__contains=record_id) | Q(subject_ids__contains=record_id)
        )
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
    return events.order_by("-id")
