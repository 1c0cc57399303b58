"""The base every Safehold model shares: a UUID key (URLs are not enumerable) and timestamps."""

import uuid

from django.db import models


class BaseModel(models.Model):
    """UUID primary key plus created and modified times (aware UTC)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
