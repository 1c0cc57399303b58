from django.db import models


class ExtractKind(models.TextChoices):
    """What an extract holds (docs/formats/partner-extracts.md)."""

    PEOPLE = "people", "People"
    TENANCIES = "tenancies", "Tenancies"
    INCIDENTS = "incidents", "Incidents"
    ATTENDANCES = "attendances", "Attendances"
