"""Intelligence submitted by a partner, its structured mentions, and the reference counter."""

from django.conf import settings
from django.db import models

from safehold.core.models import BaseModel
from safehold.intelligence.choices import (
    ASSESSMENT_LABELS,
    GRADED_STATUSES,
    HANDLING_LABELS,
    SOURCE_EVALUATION_LABELS,
    HandlingCode,
    IntelligenceAssessment,
    MentionKind,
    SourceEvaluation,
    SourceRelationship,
    Status,
)


class Intelligence(BaseModel):
    """One piece of intelligence a partner submitted (owning_agency: the submitting agency).

    What, where, when, who and the mentions are the original: only the police intelligence
    role reads them. Once graded (3x5x2), the sanitised text with its grading and handling code
    is what other partners may see; the submitter's agency sees the status only (ADR 0049).
    """

    reference = models.CharField(max_length=20, unique=True)  # INT-2026-0042
    owning_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()
    # The original, restricted to the police intelligence role.
    what = models.TextField()
    where = models.TextField(blank=True)
    location = models.ForeignKey(
        "people.Location", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The place's address as it was when submitted: the police read it here, since the place
    # itself stays the submitting agency's record (row-level security keeps it theirs).
    location_address = models.CharField(max_length=500, blank=True)
    occurred_on = models.DateField()
    occurred_time = models.TimeField(null=True, blank=True)
    occurred_until = models.DateField(null=True, blank=True)  # "between" occurred_on and this
    who = models.TextField(blank=True)
    source_relationship = models.CharField(max_length=20, choices=SourceRelationship.choices)
    source_relationship_detail = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    # The grading, by the police intelligence role.
    assessing_agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_evaluation = models.CharField(max_length=1, choices=SourceEvaluation.choices, blank=True)
    assessment = models.CharField(max_length=1, choices=IntelligenceAssessment.choices, blank=True)
    handling_code = models.CharField(max_length=1, choices=HandlingCode.choices, blank=True)
    handling_conditions = models.TextField(blank=True)
    # Handling code C: the only agencies that may see the sanitised text.
    share_with = models.ManyToManyField("accounts.Agency", blank=True, related_name="+")
    sanitised_text = models.TextField(blank=True)
    serious_harm = models.BooleanField(default=False)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    graded_at = models.DateTimeField(null=True, blank=True)
    action_taken = models.TextField(blank=True)
    review_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name_plural = "intelligence"

    def __str__(self) -> str:
        return self.reference

    @property
    def is_graded(self) -> bool:
        return self.status in GRADED_STATUSES

    @property
    def source_evaluation_label(self) -> str:
        return SOURCE_EVALUATION_LABELS.get(self.source_evaluation, "")

    @property
    def assessment_label(self) -> str:
        return ASSESSMENT_LABELS.get(self.assessment, "")

    @property
    def handling_code_label(self) -> str:
        return HANDLING_LABELS.get(self.handling_code, "")

    @property
    def grading(self) -> str:
        """The 3x5x2 grade as written on an intelligence report: "2/B/P"."""
        if not self.source_evaluation:
            return ""
        return f"{self.source_evaluation}/{self.assessment}/{self.handling_code}"


class Mention(BaseModel):
    """An entity the submission names (a phone, a VRM, a name), kept exactly as typed: the
    network app normalises and resolves it. Part of the restricted original."""

    intelligence = models.ForeignKey(
        Intelligence, on_delete=models.CASCADE, related_name="mentions"
    )
    kind = models.CharField(max_length=20, choices=MentionKind.choices)
    value = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class ReferenceCounter(models.Model):
    """The last INT- number handed out in a year (the row is locked while a number is taken)."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"INT-{self.year}: {self.last}"
