from django.db import models


class RunStatus(models.TextChoices):
    RUNNING = "running", "Running"
    DONE = "done", "Finished"
    FAILED = "failed", "Failed"


class Outcome(models.TextChoices):
    """What the model made of a pair (before people's decisions)."""

    LINKED = "linked", "Linked"  # at or above the threshold, and joined
    REVIEW = "review", "For review"  # between the review floor and the threshold
    APART = "apart", "Kept apart"  # above the threshold, but the clustering refused the join


class Decision(models.TextChoices):
    SAME = "same", "The same person"
    DIFFERENT = "different", "Not the same person"
    UNSURE = "unsure", "Not sure"
