"""The request log line, and read-only maintenance (ADR 0062).

Read-only maintenance: while `safehold maintenance on` holds, every request that
could write (POST, PUT, PATCH, DELETE) is refused before its view runs — pages with a GOV.UK
page, the API with problem JSON, both 503 with Retry-After — and reading goes on.

Signing in and out is let through: a reader must be able to sign in to read, and it writes
only the session, the sign-in throttle and the sign-in's own audit event, never casework."""

import logging
import time

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve

from safehold.audit.services import current_context
from safehold.core import maintenance

requests_log = logging.getLogger("safehold.requests")

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


class RequestLogMiddleware:
    """One log line per request (method, path, status, time taken, the user's id; never the
    query string, which may hold search words), with the request id of its audit events, also
    sent back as X-Request-ID. Placed inside the audit context (after AuditContextMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        request_id = current_context().request_id
        response["X-Request-ID"] = request_id
        user = getattr(request, "user", None)
        requests_log.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "request_id": request_id,
                "user_id": str(user.pk) if user is not None and user.is_authenticated else None,
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        return response
