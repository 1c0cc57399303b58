from django.db import models


class BatchKind(models.TextChoices):
    LETTERS = "letters", "Reassurance letters"
    LEAFLETS = "leaflets", "Leaflet drop"


class VisitOutcome(models.TextChoices):
    ANSWERED = "answered", "Answered"
    NO_ANSWER = "no_answer", "No answer"
    CONCERNS = "concerns", "Concerns raised"
    POSSIBLE_VICTIM = "possible_victim", "Possible unknown victim"
