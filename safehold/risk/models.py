"""What the top indicators list keeps: the versioned catalogue of indicator settings. The list
itself is computed (safehold.risk.engine) from the partners' extracts and Safehold's records."""

from django.conf import settings as django_settings
from django.db import models

from safehold.core.models import BaseModel


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
