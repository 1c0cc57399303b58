"""The decisions a person makes on an entry of the top indicators list (ADR 0059)."""

from django.db import models


class Decision(models.TextChoices):
    TENANCY_SUPPORT = "tenancy_support", "Offer tenancy support"
    REFER = "refer", "Refer to the exploitation team"
    WATCH = "watch", "Watch"
    NO_ACTION = "no_action", "No action"
