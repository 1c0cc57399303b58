"""The record of police.uk imports. The crime rows themselves are Parquet in the analytics
store (safehold/crime/store.py), not in the relational database."""

from django.conf import settings
from django.db import models

from safehold.core.models import BaseModel
from safehold.crime.choices import Kind


class CrimeImport(BaseModel):
    """One police.uk file imported into the analytics store: which force-month it filled, how
    many rows, its SHA-256, who imported it and when. Public data: no personal data here.

    A run's records are written `pending` before its files are swapped in and marked `done`
    after; a run left pending by a process that stopped is finished or undone by
    safehold.crime.ingest.recovery (ADR 26). Only done records say what the store holds."""

    class Status(models.TextChoices):
        PENDING = "pending", "Being swapped in"
        DONE = "done", "Done"

    run = models.UUIDField(db_index=True, help_text="The files imported together share a run.")
    source = models.CharField(max_length=500, help_text="The file, or the zip and its member.")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    force = models.CharField(max_length=60)
    month = models.CharField(max_length=7, help_text="YYYY-MM")
    rows = models.PositiveIntegerField()
    placed = models.PositiveIntegerField(default=0, help_text="Rows placed by coordinates.")
    unplaced = models.PositiveIntegerField(default=0, help_text="Rows with no LSOA.")
    sha256 = models.CharField(max_length=64)
    replaced = models.BooleanField(
        default=False, help_text="It replaced an earlier import of the same force-month."
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty for an import run on the command line without --user.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DONE)

    class Meta:
        ordering = ["-created_at", "kind", "force", "month"]
        indexes = [models.Index(fields=["kind", "force", "month"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.force} {self.month} ({self.rows:,} rows)"
