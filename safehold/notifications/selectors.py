"""Reads of a user's own notices and choices: nobody reads another user's."""

from django.db.models import QuerySet

from safehold.notifications.choices import NotificationKind
from safehold.notifications.models import Notification, Preferences


def notifications_of(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user.pk)


def unread_count(user) -> int:
    return notifications_of(user).filter(read_at__isnull=True).count()


def header_context(request) -> dict:
    """The header's notifications link, with the number not yet read."""
    return {"unread": unread_count(request.user)}


def email_kinds(user) -> set[str]:
    """The kinds the user wants by e-mail: every kind until they choose."""
    chosen = Preferences.objects.filter(user=user.pk).values_list("email_kinds", flat=True).first()
    return set(NotificationKind.values) if chosen is None else set(chosen)
