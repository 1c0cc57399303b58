"""Protective monitoring alerts, raised from the audit log by `safehold monitoring scan`."""

from django.conf import settings
from django.db import models

from safehold.core.models import BaseModel


class Alert(BaseModel):
    """A user viewed more records in an hour than the threshold allows.

    One alert per user per window (a re-run of the scan finds it and raises nothing new). The
    agency's information-governance officers are emailed and acknowledge it once reviewed.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="monitoring_alerts"
    )
    # The user's agency when the alert was raised: its IG officers review it.
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    records_viewed = models.PositiveIntegerField()
    threshold = models.PositiveIntegerField()
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    # What the reviewer found (an explained bulk export, a referral to HR, …).
    acknowledgement_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-window_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "window_start"], name="monitoring_alert_unique_per_user_window"
            )
        ]
        indexes = [models.Index(fields=["agency", "acknowledged_at"])]

    def __str__(self) -> str:
        return f"{self.records_viewed} records viewed by {self.user_id} by {self.window_end:%H:%M}"

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None
