from django.db import models


class OperationKind(models.TextChoices):
    WARRANT = "warrant", "Warrant execution"
    DAY_OF_ACTION = "day_of_action", "Day of action"
    PATROL_PLAN = "patrol_plan", "Patrol plan"
    ENGAGEMENT = "engagement", "Engagement event"


class Phase(models.TextChoices):
    """The Home Office "clear, hold, build" approach to serious organised crime in a place."""

    CLEAR = "clear", "Clear"
    HOLD = "hold", "Hold"
    BUILD = "build", "Build"


class DrugUnit(models.TextChoices):
    GRAMS = "g", "grams"
    WRAPS = "wraps", "wraps"
    PLANTS = "plants", "plants"
    TABLETS = "tablets", "tablets"
