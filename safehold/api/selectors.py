"""Finding API tokens: by the secret a caller presents, or by the prefix people use to name it."""

from django.db.models import QuerySet

from safehold.accounts.rules import can_manage_users
from safehold.api.models import ApiToken
from safehold.api.services import hash_key


def live_token_for_key(key: str) -> ApiToken | None:
    """The unrevoked token whose hash matches a presented key, with its user, or None."""
    return (
        ApiToken.objects.filter(key_hash=hash_key(key), revoked_at__isnull=True)
        .select_related("user")
        .first()
    )


def tokens(*, email: str = "") -> QuerySet[ApiToken]:
    found = ApiToken.objects.select_related("user").order_by("user__email", "-created_at")
    return found.filter(user__email__iexact=email) if email else found


def tokens_visible_to(user) -> QuerySet[ApiToken]:
    """The tokens an administrator manages: those of their own agency's users."""
    if not can_manage_users(user):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user__agency=user.agency_id).select_related("user")
