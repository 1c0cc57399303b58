"""The fixed lists of intelligence: statuses, the source's relationship, what a mention is,
and the 3x5x2 grading (College of Policing APP on intelligence management)."""

from django.db import models


class Status(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    BEING_ASSESSED = "being_assessed", "Being assessed"
    GRADED = "graded", "Graded"
    ACTIONED = "actioned", "Actioned"
    NO_FURTHER_ACTION = "no_further_action", "No further action"


# Once graded, a submission's sanitised text may reach partners (under its handling code).
GRADED_STATUSES = (Status.GRADED, Status.ACTIONED, Status.NO_FURTHER_ACTION)
# Waiting for the police intelligence role: the assessment queue.
WAITING_STATUSES = (Status.SUBMITTED, Status.BEING_ASSESSED)


class SourceRelationship(models.TextChoices):
    """How the person submitting came to know it."""

    WITNESSED = "witnessed", "Witnessed it"
    TOLD = "told", "Told by someone"
    PROFESSIONAL = "professional", "Professional observation"
    OTHER = "other", "Other"


class MentionKind(models.TextChoices):
    """A structured entity named in a submission, kept as typed (the network app normalises)."""

    PERSON = "person", "Person's name"
    PHONE = "phone", "Phone number"
    VEHICLE = "vehicle", "Vehicle registration (VRM)"
    ADDRESS = "address", "Address"
    BANK_ACCOUNT = "bank_account", "Bank account"
    SOCIAL_MEDIA = "social_media", "Social-media handle"
    OTHER = "other", "Other"


# The grades' codes are what an intelligence report is written in ("2/B/P"), so the choices'
# labels are the codes themselves; what each means is in *_LABELS (the form's radios, the
# pages) and *_HINTS (the APP's guidance, under each radio).


class SourceEvaluation(models.TextChoices):
    """The first part of 3x5x2: how far the source can be relied on."""

    RELIABLE = "1", "1"
    UNTESTED = "2", "2"
    NOT_RELIABLE = "3", "3"


SOURCE_EVALUATION_LABELS = {"1": "1: Reliable", "2": "2: Untested", "3": "3: Not reliable"}


SOURCE_EVALUATION_HINTS = {
    "1": "The source's reliability is not in doubt, or it has proved reliable in the past "
    "(for example, a professional observation, CCTV, or a source with a good record).",
    "2": "The source has not been used before, or its reliability cannot be judged yet. "
    "This does not mean it is unreliable.",
    "3": "There is doubt about the source: it has proved unreliable before, or may have a "
    "reason to mislead.",
}


class IntelligenceAssessment(models.TextChoices):
    """The second part of 3x5x2: how the source knows it."""

    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"
    E = "E", "E"


ASSESSMENT_LABELS = {
    "A": "A: Known directly to the source",
    "B": "B: Known indirectly to the source, but corroborated",
    "C": "C: Known indirectly to the source",
    "D": "D: Not known",
    "E": "E: Suspected to be false",
}


ASSESSMENT_HINTS = {
    "A": "The source saw or heard it themselves (first-hand).",
    "B": "The source was told it, and it is corroborated by other information or a trusted source.",
    "C": "The source was told it and it cannot be corroborated (second-hand).",
    "D": "How the source knows it cannot be judged.",
    "E": "There are reasons to believe it is false or deliberately misleading. Say why in "
    "the action taken.",
}


class HandlingCode(models.TextChoices):
    """The third part of 3x5x2: whether it may be shared, and how."""

    P = "P", "P"
    C = "C", "C"


HANDLING_LABELS = {
    "P": "P: Lawful sharing permitted",
    "C": "C: Lawful sharing permitted with conditions",
}


HANDLING_HINTS = {
    "P": "The sanitised text may be shared with every partner that has a live information "
    "sharing agreement with your agency.",
    "C": "Shared only with the agencies you name, on the conditions you write down.",
}


# The MoPI-style review of intelligence (ADR 0049): years from grading to the first review.
REVIEW_YEARS = 6
REVIEW_YEARS_SERIOUS_HARM = 10
