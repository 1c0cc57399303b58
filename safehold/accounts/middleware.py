"""The absolute session limit: a session ends 12 hours after sign-in, however active."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect

from safehold.accounts.receivers import SIGNED_IN_AT


class SessionLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            signed_in_at = request.session.get(SIGNED_IN_AT)
            if (
                signed_in_at is None
                or time.time() - signed_in_at > settings.SESSION_ABSOLUTE_LIMIT_SECONDS
            ):
                logout(request)
                messages.info(
                    request,
                    "You have been signed out because your session reached its 12-hour limit.",
                )
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)
