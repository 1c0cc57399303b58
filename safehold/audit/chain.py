"""How an audit event's hash is computed, for each version of the chain (ADR 0004, ADR 0024).

Kept apart from the services so that the migration that keyed the chain computes the same
hash as `audit.record` and `audit verify` do.
"""

import hashlib
import hmac
import json
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# The fields a hash covers, in order. Adding a field means a new chain version, not an edit here.
HASHED_FIELDS = (
    "id",
    "occurred_at",
    "actor_id",
    "actor_label",
    "actor_agency_id",
    "actor_role",
    "action",
    "object_type",
    "object_ids",
    "subject_ids",
    "purpose",
    "agreement_id",
    "legal_gateway",
    "recipient_agency_ids",
    "recipient_user_ids",
    "channel",
    "request_id",
    "ip_address",
    "outcome",
    "prev_hash",
)


def _canonical(value: Any) -> Any:
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _payload(event) -> bytes:
    fields = {name: _canonical(getattr(event, name)) for name in HASHED_FIELDS}
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


def audit_key() -> bytes:
    """The chain's HMAC key, from the settings (the environment or a key file), never the
    database: the database roles can write events but cannot compute their hashes."""
    key = getattr(settings, "SAFEHOLD_AUDIT_KEY", "")
    if not key:
        raise ImproperlyConfigured(
            "Set SAFEHOLD_AUDIT_KEY (or SAFEHOLD_AUDIT_KEY_FILE): the audit log cannot be "
            "written or checked without its key"
        )
    return key.encode()


def keyed_hash(event) -> str:
    """Chain version 2: HMAC-SHA256, with the audit key, over the event's fields and the
    previous event's hash."""
    return hmac.new(audit_key(), _payload(event), hashlib.sha256).hexdigest()


def unkeyed_hash(event) -> str:
    """Chain version 1 (events written before the chain was keyed): plain SHA-256."""
    return hashlib.sha256(_payload(event)).hexdigest()
