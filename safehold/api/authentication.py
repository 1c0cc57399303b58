"""`Authorization: Bearer <token>` for partner systems, checked against the stored hashes."""

from django.utils import timezone
from rest_framework import authentication, exceptions

from safehold.api.models import ApiToken
from safehold.api.selectors import live_token_for_key
from safehold.sharing.middleware import apply_row_security, row_security_on

KEYWORD = "Bearer"


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """Authenticates a request by an API token; unknown, revoked or a disabled user's: 401."""

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None  # not ours: the session may still authenticate the request
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the token as one value: Authorization: Bearer <token>"
            )
        try:
            key = parts[1].decode()
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed("The token is not valid") from exc
        token = live_token_for_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed("The token is not valid or has been revoked")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("The token's user is disabled")
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        # Token callers are known only now, after the middleware ran: restrict the connection
        # for row-level security here (the middleware resets it when the request ends).
        if row_security_on():
            apply_row_security(token.user)
        return token.user, token

    def authenticate_header(self, request) -> str:
        # Present on every 401, so clients know which scheme to use.
        return f'{KEYWORD} realm="api"'
