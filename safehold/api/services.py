"""Issuing and revoking API tokens, each audited in the same transaction."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from safehold import audit
from safehold.accounts.models import User
from safehold.accounts.rules import can_manage_users
from safehold.api.models import ApiToken
from safehold.audit.choices import Action
from safehold.core.errors import NotPermitted, ServiceError

TOKEN_START = "safehold"  # noqa: S105 (the visible start of every token, not a secret)


def hash_key(key: str) -> str:
    """The stored form of a token: its SHA-256 hex digest (tokens are random, so no salt)."""
    return hashlib.sha256(key.encode()).hexdigest()


class TokenError(ServiceError):
    """A token cannot be issued or revoked (inactive user, already revoked)."""


@transaction.atomic
def create_token(*, user: User, name: str, by: User | None) -> tuple[ApiToken, str]:
    """Issue a token for a user; returns the token record and the secret, which is not kept."""
    if by is not None and not (can_manage_users(by) and by.agency_id == user.agency_id):
        raise NotPermitted("Only an administrator of their organisation may issue their tokens")
    if not user.is_active:
        raise TokenError(f"{user.email} is disabled: enable the user before issuing a token")
    name = name.strip()
    if not name:
        raise TokenError("Give the token a name, such as the partner system that will use it")
    prefix = secrets.token_hex(4)
    while ApiToken.objects.filter(key_prefix=prefix).exists():
        prefix = secrets.token_hex(4)
    key = f"{TOKEN_START}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(user=user, name=name, key_prefix=prefix, key_hash=hash_key(key))
    audit.record(
        action=Action.COLLECT,
        actor=by,
        target=token,
        object_ids=[user.pk],
        purpose=f"API token {prefix} issued to {user.email}",
    )
    return token, key


@transaction.atomic
def revoke_token(*, token: ApiToken, by: User | None) -> ApiToken:
    """Stop a token working from the next request on."""
    if by is not None and not (can_manage_users(by) and by.agency_id == token.user.agency_id):
        raise NotPermitted("Only an administrator of their organisation may revoke their tokens")
    if token.is_revoked:
        raise TokenError(f"Token {token.key_prefix} was already revoked")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at", "modified_at"])
    audit.record(
        action=Action.ALTER,
        actor=by,
        target=token,
        object_ids=[token.user_id],
        purpose=f"API token {token.key_prefix} revoked",
    )
    return token
