"""The audit log: an append-only, hash-chained record of every consultation and change."""

from django.conf import settings
from django.db import models

from safehold.audit.choices import Action, Channel, Outcome

GENESIS_HASH = "0" * 64


class AuditEvent(models.Model):
    """One s.62 event. Ids are assigned by `audit.record` under a lock: gapless and in order.

    Never holds special-category values themselves, only what was touched and why. On
    PostgreSQL a trigger refuses UPDATE, DELETE and TRUNCATE on this table.
    """

    id = models.BigIntegerField(primary_key=True)
    occurred_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What the actor typed or was called at the time, kept for failed sign-ins with no user.
    actor_label = models.CharField(max_length=254, blank=True)
    actor_agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_role = models.CharField(max_length=32, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices, db_index=True)
    object_type = models.CharField(max_length=100, blank=True, db_index=True)
    # Space-separated ids: portable across SQLite and PostgreSQL and searchable by substring.
    object_ids = models.TextField(blank=True)
    subject_ids = models.TextField(blank=True)
    purpose = models.TextField(blank=True)
    agreement_id = models.UUIDField(null=True, blank=True)
    legal_gateway = models.CharField(max_length=200, blank=True)
    recipient_agency_ids = models.TextField(blank=True)
    recipient_user_ids = models.TextField(blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    request_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.ALLOWED)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["actor", "occurred_at"])]

    def __str__(self) -> str:
        return f"#{self.id} {self.action} {self.object_type}"


class AuditChainHead(models.Model):
    """The single row naming the newest event; locked by each writer so the chain stays linear.

    It also lets `audit verify` notice that the newest events were deleted. Triggers let it
    only move forward, onto an event that is there, and never be deleted (ADR 0024).
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_event_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    # The first event hashed with the audit key; the events before it (written before the
    # chain was keyed) carry a plain SHA-256. Fixed by migration audit/0003.
    keyed_from = models.BigIntegerField(default=1)

    def __str__(self) -> str:
        return f"audit chain head at #{self.last_event_id}"
