from django.db import models


class Action(models.TextChoices):
    """What was done: the DPA 2018 s.62 logging operations, plus sign-in events."""

    COLLECT = "collect", "Collect"
    ALTER = "alter", "Alter"
    CONSULT = "consult", "Consult"
    DISCLOSE = "disclose", "Disclose"
    COMBINE = "combine", "Combine"
    ERASE = "erase", "Erase"
    LOGIN = "login", "Sign in"
    LOGOUT = "logout", "Sign out"
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
