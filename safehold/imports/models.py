"""Import runs of every kind: one uploaded file, kept on disk, checked and imported on the job
queue, with its status and result (kinds are registered by their apps: safehold.imports.registry).
"""

from django.conf import settings
from django.db import models

from safehold.core.models import BaseModel


class ImportRun(BaseModel):
    """One uploaded file checked and imported by a worker: its kind, progress and result, for the
    upload pages of every app (historic cases, incident logs, police.uk files, KPI files)."""

    class Status(models.TextChoices):
        VALIDATING = "validating", "Checking the file"
        INVALID = "invalid", "Errors found; nothing imported"
        IMPORTING = "importing", "Importing"
        DONE = "done", "Imported"

    # A registered kind's name (safehold.imports.registry): not a fixed list, so a new module
    # adds a kind without touching this app.
    kind = models.CharField(max_length=20)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.VALIDATING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_cases = models.PositiveIntegerField(default=0)
    unchanged_cases = models.PositiveIntegerField(default=0)
    # What an import of another kind did, by name (an incident log: its source and the
    # incidents added, replaced, unchanged and stored; police.uk files: the plan, then the rows
    # and force-months imported).
    result = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    # What the upload asked for, handed to the kind's process function as keyword arguments
    # (JSON: a worker in another process reads them back).
    params = models.JSONField(default=dict, blank=True)
    # How many times a worker has started the run: a run whose worker died is started again
    # once, then failed (safehold.imports.services.recover_stalled_runs).
    attempts = models.PositiveSmallIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True)  # the queue's task (django-tasks)

    class Meta:
        # The table the run had when it lived in the cases app: no data moved (ADR 0030).
        db_table = "cases_importrun"

    def __str__(self) -> str:
        return f"{self.file_name} ({self.status})"

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.VALIDATING, self.Status.IMPORTING)
