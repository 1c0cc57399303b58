"""Read-only maintenance (ADR 0062): while `safehold maintenance on` holds, every request that
could write (POST, PUT, PATCH, DELETE) is refused before its view runs — pages with a GOV.UK
page, the API with problem JSON, both 503 with Retry-After — and reading goes on.

Signing in and out is let through: a reader must be able to sign in to read, and it writes
only the session, the sign-in throttle and the sign-in's own audit event, never casework."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve

from safehold.core import maintenance

READS = {"GET", "HEAD", "OPTIONS"}
SIGNING_IN = {
    "accounts:sign-in",
    "accounts:two-factor",
    "accounts:two-factor-set-up",
    "accounts:two-factor-recovery",
    "accounts:sign-out",
}
TITLE = "Safehold is read-only while it is being maintained"


def lets_through(request: HttpRequest) -> bool:
    if request.method in READS:
        return True
    try:
        name = resolve(request.path_info).view_name
    except Resolver404:
        return False
    return name in SIGNING_IN


class MaintenanceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not maintenance.is_on() or lets_through(request):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            response = JsonResponse(
                {
                    "type": "about:blank",
                    "title": TITLE,
                    "status": 503,
                    "detail": "Nothing was changed. Reading still works; try the change again "
                    "when maintenance ends.",
                },
                status=503,
                content_type="application/problem+json",
            )
        else:
            response = render(
                request, "upkeep/read_only.html", {"maintenance_refusal": True}, status=503
            )
        response["Retry-After"] = str(maintenance.RETRY_AFTER_SECONDS)
        return response
