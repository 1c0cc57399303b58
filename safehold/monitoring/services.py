"""Raising protective monitoring alerts from the audit log, and acknowledging them."""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from safehold import audit
from safehold.accounts.choices import Role
from safehold.accounts.models import User
from safehold.audit.choices import Action
from safehold.core.errors import ServiceError
from safehold.monitoring.models import Alert
from safehold.monitoring.selectors import records_viewed
from safehold.notifications.choices import NotificationKind
from safehold.notifications.services import notify

logger = logging.getLogger(__name__)

WINDOW = datetime.timedelta(hours=1)
MINUTE = datetime.timedelta(minutes=1)


class AlertError(ServiceError):
    """An acknowledgement the alert's state or the reviewer does not allow."""


@dataclass
class ScanResult:
    """What one scan did: the alerts it raised, and those whose email could not be sent."""

    window_start: datetime.datetime
    window_end: datetime.datetime
    threshold: int
    raised: list[Alert] = field(default_factory=list)
    not_emailed: list[Alert] = field(default_factory=list)


def scan(*, now: datetime.datetime | None = None, threshold: int | None = None) -> ScanResult:
    """Raise an alert for every user who viewed more than `threshold` records in the hour
    before `now`, and email their agency's IG officers.

    The window ends at the end of the current minute, so it holds every view so far and two
    runs in the same minute look at the same window (the unique constraint stops a second
    alert). A user who already has an alert whose window
    overlaps this one is not alerted again: a run every few minutes raises one alert per burst,
    and a user who keeps going is alerted again an hour after their last alert's window ended.
    """
    threshold = settings.SAFEHOLD_MONITORING_VIEWS_PER_HOUR if threshold is None else threshold
    end = (now or timezone.now()).replace(second=0, microsecond=0) + MINUTE
    result = ScanResult(window_start=end - WINDOW, window_end=end, threshold=threshold)
    counts = records_viewed(start=end - WINDOW, end=end)
    over = {uid: n for uid, n in counts.items() if n > threshold}
    if not over:
        return result
    already = set(
        Alert.objects.filter(user_id__in=over, window_end__gt=end - WINDOW).values_list(
            "user_id", flat=True
        )
    )
    users = User.objects.filter(pk__in=set(over) - already).select_related("agency")
    for user in sorted(users, key=lambda u: u.email):
        alert = _raise(
            user=user, start=end - WINDOW, end=end, count=over[user.pk], threshold=threshold
        )
        if alert is None:
            continue
        result.raised.append(alert)
        if not _email(alert):
            result.not_emailed.append(alert)
    return result


def _reviewers(alert: Alert) -> list[User]:
    """The agency's active IG officers, except the user the alert is about."""
    return list(
        User.objects.filter(agency=alert.agency_id, role=Role.IG_OFFICER, is_active=True)
        .exclude(pk=alert.user_id)
        .order_by("email")
    )


def _raise(
    *, user: User, start: datetime.datetime, end: datetime.datetime, count: int, threshold: int
) -> Alert | None:
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                user=user,
                agency=user.agency,
                window_start=start,
                window_end=end,
                records_viewed=count,
                threshold=threshold,
            )
            audit.record(
                action=Action.COLLECT,
                actor=None,
                target=alert,
                object_ids=[user.pk],
                purpose=f"monitoring alert: {count} records viewed in an hour (threshold {threshold})",
                recipient_users=_reviewers(alert),
            )
            # In the service too; the e-mail is the scan's own (`_email`), sent to every
            # reviewer whatever their choices: an alert is not optional.
            notify(
                recipients=_reviewers(alert),
                kind=NotificationKind.MONITORING_ALERT,
                reference=f"Monitoring alert: {count} records viewed in an hour",
                link=reverse("monitoring:alert-detail", args=[alert.pk]),
                email=False,
            )
    except IntegrityError:
        # Another scan raised the same alert in the same minute.
        return None
    return alert


def _email(alert: Alert) -> bool:
    """Tell the agency's IG officers. The email names nobody: who it is and which records
    they viewed are on the alert page, behind sign-in and the audit log."""
    recipients = [u.email for u in _reviewers(alert)]
    if not recipients:
        logger.warning("Monitoring alert %s: %s has no IG officer to email", alert.pk, alert.agency)
        return False
    context = {"alert": alert, "path": reverse("monitoring:alert-detail", args=[alert.pk])}
    try:
        send_mail(
            subject=f"Safehold monitoring alert: {alert.records_viewed} records viewed in an hour",
            message=render_to_string("monitoring/alert_email.txt", context),
            from_email=None,
            recipient_list=recipients,
        )
    except Exception:
        # The alert is raised and on the alerts page whatever happens to the email.
        logger.exception("Monitoring alert %s: the email could not be sent", alert.pk)
        return False
    return True


@transaction.atomic
def acknowledge_alert(*, alert: Alert, by: User, note: str) -> Alert:
    """Record that an IG officer of the user's agency has reviewed the alert, and what they
    found. Nobody acknowledges an alert about themselves."""
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.agency_id != by.agency_id:
        raise AlertError("Only your organisation's information governance officers can review this")
    if alert.user_id == by.pk:
        raise AlertError("Another information governance officer must review an alert about you")
    if alert.is_acknowledged:
        raise AlertError("This alert has already been acknowledged")
    alert.acknowledged_by, alert.acknowledged_at = by, timezone.now()
    alert.acknowledgement_note = note.strip()
    alert.save(
        update_fields=["acknowledged_by", "acknowledged_at", "acknowledgement_note", "modified_at"]
    )
    audit.record(
        action=Action.ALTER,
        actor=by,
        target=alert,
        object_ids=[alert.user_id],
        purpose="monitoring alert acknowledged",
    )
    return alert
