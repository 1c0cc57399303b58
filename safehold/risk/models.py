"""What the top indicators list keeps: the versioned catalogue of indicator settings. The list
itself is computed (safehold.risk.engine) from the partners' extracts and Safehold's records."""

from django.conf import settings as django_settings
from django.db import models

from safehold.core.models import BaseModel
from safehold.risk.choices import Decision


class IndicatorVersion(BaseModel):
    """One version of the indicator catalogue: for each indicator code, whether it is on, its
    weight, its parameters and its owner ({code: {enabled, weight, params, owner}}). A change
    makes a new version; versions are never edited, so a list names the version it was made
    with and can be made again."""

    number = models.PositiveIntegerField(unique=True)
    settings = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField()

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"Indicators version {self.number}"

    def enabled(self) -> dict[str, dict]:
        """The settings of the indicators that are on."""
        return {code: s for code, s in self.settings.items() if s.get("enabled")}


class Review(BaseModel):
    """A person's decision on an entry of the top indicators list, with their reason: the
    audited act (nothing is done to anyone because they are on the list). It keeps the entry's
    evidence fingerprint when decided: the entry leaves the list until its evidence differs
    (something new), except after "watch", which keeps it on the list with a marker (ADR 0059).
    A referral to the exploitation team names the referral it made."""

    subject_ref = models.CharField(max_length=200, db_index=True)
    fingerprint = models.CharField(max_length=64)
    decision = models.CharField(max_length=20, choices=Decision.choices)
    reason = models.TextField()
    decided_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    as_of = models.DateField()
    indicators_version = models.PositiveIntegerField()
    score = models.PositiveIntegerField()
    # The Safehold people among the subject's records the reviewer could see (the audit's
    # subjects), as ids: the subject itself is a list entry, not a record.
    person_ids = models.JSONField(default=list, blank=True)
    referral = models.ForeignKey(
        "cases.Referral", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Review of {self.subject_ref}: {self.get_decision_display()}"
