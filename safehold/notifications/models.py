"""Notices to one user about something that needs them, their e-mail choices, and the secret
of their calendar feed."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from safehold.core.models import BaseModel
from safehold.notifications.choices import NotificationKind


class Notification(BaseModel):
    """Something that happened that needs the recipient: a reference and a link only.

    `reference` names a record by its human reference ("Case EXP-2026-0004"), never by a
    person's name or address: the same words go by e-mail. `key` makes a notice idempotent
    (the daily deadlines run gives each deadline one notice however often it runs).
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    reference = models.CharField(max_length=200)
    link = models.CharField(max_length=300, blank=True)
    key = models.CharField(max_length=200, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"],
                condition=~Q(key=""),
                name="notification_once_per_key",
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.reference}"


class Preferences(BaseModel):
    """Which kinds of notice a user also wants by e-mail. Without a row, every kind is sent."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    email_kinds = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"E-mail choices of {self.user_id}"


class CalendarFeed(BaseModel):
    """A user's iCalendar feed: only a hash of its secret is kept, so the URL is shown once
    (when made) and a copy of the database does not give anyone's feed away."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user_id}"
