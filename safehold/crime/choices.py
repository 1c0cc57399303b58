from django.db import models


class Kind(models.TextChoices):
    """The three kinds of police.uk file (the last part of their names)."""

    STREET = "street", "Street-level crime"
    OUTCOMES = "outcomes", "Outcomes"
    STOP_AND_SEARCH = "stop-and-search", "Stop and search"
