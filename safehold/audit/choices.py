from django.db import models


class Action(models.TextChoices):
    """What was done: the DPA 2018 s.62 logging operations (collection, alteration,
    consultation, disclosure, combination, erasure: the codes), plus sign-in events, each
    labelled in the words a person reads on the audit screens (issue 14, defect 6)."""

    COLLECT = "collect", "Recorded"
    ALTER = "alter", "Changed"
    CONSULT = "consult", "Viewed"
    DISCLOSE = "disclose", "Shared"
    COMBINE = "combine", "Combined"
    ERASE = "erase", "Erased"
    LOGIN = "login", "Signed in"
    LOGOUT = "logout", "Signed out"
    LOGIN_FAILED = "login_failed", "Failed sign-in"
    ACCESS_DENIED = "access_denied", "Denied access"


class Channel(models.TextChoices):
    WEB = "web", "Web"
    API = "api", "API"
    CLI = "cli", "Command line"
    EXPORT = "export", "Export"


class Outcome(models.TextChoices):
    ALLOWED = "allowed", "Allowed"
    DENIED = "denied", "Denied"
