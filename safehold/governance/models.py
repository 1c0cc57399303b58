"""Information governance: retention policies, legal holds, retention decisions, the erasure
log and subject access requests.

Decisions and the erasure log name records by type and id only: they outlive the records they
speak about, and an id is not personal data once the record it named is gone.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from safehold.core import dates
from safehold.core.models import BaseModel
from safehold.governance.choices import Decision, RecordType


class RetentionPolicy(BaseModel):
    """How long a kind of record is kept, and from when: the review queue lists records past it.

    One row per record type, seeded with the defaults of ADR 0009 and changed on the policies
    page. A record past its period is reviewed (retained with a reason, or erased), never
    erased automatically.
    """

    record_type = models.CharField(max_length=20, choices=RecordType.choices, unique=True)
    period_months = models.PositiveSmallIntegerField()
    starts_from = models.CharField(max_length=200, help_text="When the period starts")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["record_type"]
        verbose_name_plural = "retention policies"

    def __str__(self) -> str:
        return f"{self.get_record_type_display()}: {self.period_months} months"

    @property
    def period_label(self) -> str:
        years, months = divmod(self.period_months, 12)
        if months == 0:
            return f"{years} year{'s' if years != 1 else ''}"
        return f"{self.period_months} month{'s' if self.period_months != 1 else ''}"


class LegalHoldQuerySet(models.QuerySet):
    def active(self):
        return self.filter(lifted_at__isnull=True)


class LegalHold(BaseModel):
    """A hold on a person or a case (litigation, an inquiry, a complaint to the ICO): while it is
    in place the record is not offered for erasure, and erasing it is refused."""

    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField()
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField()
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lift_reason = models.TextField(blank=True)

    objects = LegalHoldQuerySet.as_manager()

    class Meta:
        ordering = ["-placed_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False, person__isnull=True)
                | Q(case__isnull=True, person__isnull=False),
                name="legal_hold_on_a_case_or_a_person",
            )
        ]

    def __str__(self) -> str:
        return (
            f"legal hold on {'case' if self.case_id else 'person'} {self.case_id or self.person_id}"
        )

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None

    @property
    def record(self):
        return self.case or self.person


class RetentionDecision(BaseModel):
    """A reviewer's decision on a record past its retention period: retain it until a next
    review date (it leaves the queue until then), or erase it."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    record_type = models.CharField(max_length=20, choices=RecordType.choices)
    record_id = models.UUIDField()
    decision = models.CharField(max_length=10, choices=Decision.choices)
    reason = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()
    next_review_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_at"]
        indexes = [models.Index(fields=["record_type", "record_id", "decision"])]

    def __str__(self) -> str:
        return f"{self.decision} {self.record_type} {self.record_id}"


class ErasureLog(BaseModel):
    """One record erased: its type and id, who, when, why, and how many rows and files went with
    it. Never the erased values. The rows of one erasure share an `erasure_id`."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    erasure_id = models.UUIDField(db_index=True)
    record_type = models.CharField(max_length=20, choices=RecordType.choices)
    record_id = models.UUIDField(db_index=True)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    erased_at = models.DateTimeField()
    reason = models.TextField()
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-erased_at", "record_type"]

    def __str__(self) -> str:
        return f"{self.record_type} {self.record_id} erased"


class SubjectAccessRequest(BaseModel):
    """A subject access request (UK GDPR Art 15) about a person, answered by the agency that
    holds their record within one calendar month of receipt."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="subject_access_requests"
    )
    received_on = models.DateField()
    due_on = models.DateField()
    requested_by = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "created_at"]

    def __str__(self) -> str:
        return f"subject access request received {self.received_on:%Y-%m-%d}"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None

    def days_left(self, today: datetime.date | None = None) -> int:
        """Days until the due date (negative once overdue)."""
        return (self.due_on - (today or dates.today())).days
