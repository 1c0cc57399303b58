from django.db import models


class SavingRounding(models.TextChoices):
    """How the cost-benefit saving is rounded (half up)."""

    PENNY = "penny", "To the penny"
    POUND = "pound", "To the nearest pound (as the published evaluation shows it)"
