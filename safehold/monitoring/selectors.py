"""Reads for protective monitoring: the audit trail of one record, alerts, heavy viewers."""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import F, Q, QuerySet

from safehold.audit.choices import Action, Outcome
from safehold.audit.models import AuditEvent
from safehold.monitoring.models import Alert
from safehold.monitoring.rules import can_review_alerts

# What the "who looked at this record" page lists: the s.62 operations on the record, and
# attempts to open it that the read gate refused. Sign-ins name no record.
RECORD_ACTIONS = (
    Action.COLLECT,
    Action.ALTER,
    Action.CONSULT,
    Action.DISCLOSE,
    Action.COMBINE,
    Action.ERASE,
    Action.ACCESS_DENIED,
)


def events_on_record(user, record, *, related_ids: Iterable = ()) -> QuerySet[AuditEvent]:
    """Audit events on a record its agency holds, newest first: the agency's own staff's events
    naming it (as object or subject), and other agencies' events on the record itself or on
    `related_ids` (the holder's own cases about a person). Another agency's event that names
    the person only as the subject of its own case is that agency's to audit: the case may not
    be shared. Show them through `safehold.audit.selectors.redacted`.

    The caller has already fetched the record through its read gate and checked that the
    user's agency holds it.
    """
    record_id = str(record.pk)
    own = Q(actor_agency=user.agency_id) & (
        Q(object_ids__contains=record_id) | Q(subject_ids__contains=record_id)
    )
    theirs = Q(object_type=record._meta.label_lower, object_ids__contains=record_id)
    for pk in related_ids:
        theirs |= Q(object_ids__contains=str(pk))
    return (
        AuditEvent.objects.filter(own | (~Q(actor_agency=user.agency_id) & theirs))
        .filter(action__in=RECORD_ACTIONS)
        .select_related("actor", "actor_agency")
        .order_by("-id")
    )


def alerts_visible_to(user) -> QuerySet[Alert]:
    """Alerts about the user's agency's staff, for its IG officers and administrators."""
    if not can_review_alerts(user):
        return Alert.objects.none()
    return Alert.objects.filter(agency=user.agency_id).select_related(
        "user", "agency", "acknowledged_by"
    )


def alert_list(user) -> QuerySet[Alert]:
    """Alerts waiting for review first, then the rest; newest first within each."""
    return alerts_visible_to(user).order_by(
        F("acknowledged_at").asc(nulls_first=True), "-window_end", "-created_at"
    )


def records_viewed(*, start: datetime.datetime, end: datetime.datetime) -> dict:
    """How many different records each user consulted in [start, end): {user id: count}.

    Counted from allowed consult events' object ids, so a list page counts every record it
    showed and an export every record it held; the same record seen twice counts once.
    """
    seen: dict = defaultdict(set)
    events = (
        AuditEvent.objects.filter(
            action=Action.CONSULT,
            outcome=Outcome.ALLOWED,
            actor__isnull=False,
            occurred_at__gte=start,
            occurred_at__lt=end,
        )
        .exclude(object_ids="")
        .values_list("actor_id", "object_type", "object_ids")
    )
    for actor_id, object_type, object_ids in events.iterator(chunk_size=5000):
        seen[actor_id].update((object_type, pk) for pk in object_ids.split())
    return {actor_id: len(records) for actor_id, records in seen.items()}
