"""Telling users what needs them: a notice in the service, and an e-mail if they chose it.

`notify` is called by the service that makes the event (a referral decided, a case shared, a
task assigned…), inside its transaction: the notice is written with the event or not at all,
and the e-mail leaves only once the transaction has committed (`on_commit`), so a rolled-back
event never e-mails anybody.
"""

import datetime
import hashlib
import logging
import secrets
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from safehold import audit
from safehold.accounts.models import User
from safehold.audit.choices import Action
from safehold.core.errors import ServiceError
from safehold.notifications.choices import NotificationKind
from safehold.notifications.deadlines import deadlines_for
from safehold.notifications.models import CalendarFeed, Notification, Preferences
from safehold.notifications.selectors import email_kinds

logger = logging.getLogger(__name__)


class NotificationError(ServiceError):
    """A choice the preferences page cannot take."""


def _email(*, to: str, kind: str, reference: str, link: str) -> None:
    """Send one notice by e-mail: what kind of thing happened, the reference and the link. The
    message holds nothing else (no names, addresses or dates of birth): it leaves the service."""
    context = {
        "kind": NotificationKind(kind).label,
        "reference": reference,
        "url": f"{settings.SAFEHOLD_BASE_URL}{link}",
    }
    try:
        send_mail(
            subject=f"Safehold: {NotificationKind(kind).label.lower()}",
            message=render_to_string("notifications/email.txt", context),
            from_email=None,
            recipient_list=[to],
        )
    except Exception:
        # The notice is in the service whatever happens to the e-mail.
        logger.exception("A %s notice could not be e-mailed", kind)


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    reference: str,
    link: str = "",
    key: str = "",
    email: bool = True,
) -> list[Notification]:
    """Give each active recipient a notice (once per `key`, when one is given), in the caller's
    transaction, and e-mail those who chose this kind once it commits (`email=False` for an
    event that sends its own e-mail, as a monitoring alert does).

    `reference` is a record's human reference ("Case EXP-2026-0004"), never a person's name.
    """
    made = []
    seen = set()
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        if key and Notification.objects.filter(recipient=user, key=key).exists():
            continue
        try:
            with transaction.atomic():
                notice = Notification.objects.create(
                    recipient=user, kind=kind, reference=reference, link=link, key=key
                )
        except IntegrityError:
            continue  # another run gave this notice a moment ago
        made.append(notice)
        if email and user.email and kind in email_kinds(user):
            transaction.on_commit(
                partial(_email, to=user.email, kind=kind, reference=reference, link=link)
            )
    return made


@transaction.atomic
def mark_read(*, user: User, notices: Iterable[Notification]) -> int:
    """Mark the user's own notices read (others' are left alone)."""
    ids = [n.pk for n in notices if n.read_at is None]
    return Notification.objects.filter(recipient=user, pk__in=ids).update(read_at=timezone.now())


@transaction.atomic
def choose_email_kinds(*, user: User, kinds: Iterable[str]) -> Preferences:
    kinds = sorted(set(kinds))
    unknown = set(kinds) - set(NotificationKind.values)
    if unknown:
        raise NotificationError("Choose from the kinds of notice listed")
    preferences, _ = Preferences.objects.update_or_create(
        user=user, defaults={"email_kinds": kinds}
    )
    return preferences


def users_of(agency_id, allowed) -> list[User]:
    """The active users of an agency for whom the predicate `allowed` holds (who may act)."""
    users = User.objects.filter(agency=agency_id, is_active=True).order_by("email")
    return [u for u in users if allowed(u)]


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def make_feed_token(*, user: User) -> str:
    """A new secret for the user's calendar feed; the old one stops working at once."""
    token = secrets.token_urlsafe(32)
    feed, _ = CalendarFeed.objects.update_or_create(
        user=user, defaults={"token_hash": _hash(token), "last_used_at": None}
    )
    audit.record(action=Action.ALTER, actor=user, target=feed, purpose="calendar feed address made")
    return token


@transaction.atomic
def revoke_feed(*, user: User) -> bool:
    """Stop the user's calendar feed; True if there was one."""
    feed = CalendarFeed.objects.filter(user=user).first()
    if feed is None:
        return False
    audit.record(action=Action.ALTER, actor=user, target=feed, purpose="calendar feed stopped")
    feed.delete()
    return True


def feed_user(token: str) -> User | None:
    """The active user whose calendar feed this secret opens, or None."""
    if not token:
        return None
    feed = (
        CalendarFeed.objects.filter(token_hash=_hash(token), user__is_active=True)
        .select_related("user", "user__agency")
        .first()
    )
    if feed is None:
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed.user


def send_deadline_notices(*, today: datetime.date) -> int:
    """Tell each active user about their own deadlines tomorrow. Each deadline's notice has a
    key, so a second run on the same day (or a retry) sends nothing again."""
    tomorrow = today + datetime.timedelta(days=1)
    sent = 0
    for user in User.objects.filter(is_active=True).select_related("agency").order_by("email"):
        for deadline in deadlines_for(user, tomorrow, tomorrow):
            if not deadline.mine:
                continue
            with transaction.atomic():
                sent += len(
                    notify(
                        recipients=[user],
                        kind=NotificationKind.DEADLINE_TOMORROW,
                        reference=f"{deadline.what}: {deadline.reference}",
                        link=deadline.link,
                        key=f"deadline:{deadline.uid}:{deadline.day.isoformat()}",
                    )
                )
    return sent
