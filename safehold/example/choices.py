from django.db import models


class Outcome(models.TextChoices):
    SEEN_WELL = "seen_well", "Seen and well"
    SEEN_CONCERNS = "seen_concerns", "Seen, with concerns"
    NOT_SEEN = "not_seen", "Not seen"
