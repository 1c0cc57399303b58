from django.db import models


class MeetingStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
