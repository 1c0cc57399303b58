from django.conf import settings
from django.db import models

from safehold.core.models import BaseModel
from safehold.example.choices import Outcome


class Visit(BaseModel):
    """A welfare visit to the subject of a case. It belongs to the case (visible when the case
    is, row-level security included) and is written only by the agency that holds the case."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="visits")
    owning_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    visited_on = models.DateField()
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-visited_on", "-created_at"]

    def __str__(self) -> str:
        return f"Visit on {self.visited_on:%d %B %Y}"
