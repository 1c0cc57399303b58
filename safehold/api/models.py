"""API tokens for partner systems: only a hash of each token is stored."""

from django.conf import settings
from django.db import models

from safehold.core.models import BaseModel


class ApiToken(BaseModel):
    """A bearer token a partner system uses to call the API as one user.

    The token itself is shown once, when it is created; only its SHA-256 hash is kept, with a
    short prefix so people can name a token (to revoke it) without holding the secret.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. the system")
    key_prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.key_prefix} ({self.name})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
