"""The home page and the GOV.UK error pages."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from safehold.core.registry import home_context


def home(request: HttpRequest) -> HttpResponse:
    """The user's work, from the panels each app registered (`safehold.core.registry`): my open
    cases and their deadlines, my tasks, referrals waiting for my triage, access requests
    waiting for my decision, what was shared with my agency."""
    return render(request, "core/home.html", home_context(request.user))


def _api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # An API client gets the API's JSON error, also for a URL no view matched (a malformed id).
    if _api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "core/404.html", status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/403.html", status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form whose CSRF check failed (CSRF_FAILURE_VIEW): the GOV.UK page saying nothing was
    saved and what to do, instead of Django's plain page (the API's views answer CSRF failures
    of session callers themselves, in JSON)."""
    return render(request, "core/403_csrf.html", status=403)


# A database that stopped (or cannot be reached) is the service being unavailable for a while,
# not a fault of the page: 503, asking the client to try again (ADR 0063).
DATABASE_AWAY = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def database_away(exception: BaseException | None) -> bool:
    """The error, or one it was raised from, is the database stopping or being unreachable."""
    while exception is not None:
        if isinstance(exception, DATABASE_AWAY):
            return True
        exception = exception.__cause__ or exception.__context__
    return False


def server_error(request: HttpRequest) -> HttpResponse:
    """Every uncaught error of a page, the API or a middleware (Django calls it inside its
    `except`): "Sorry, there is a problem with the service", never a stack trace; 503 with
    Retry-After when the database is away. No context processors here: the database may be
    the thing that failed."""
    from django.template import loader

    status = 503 if database_away(sys.exc_info()[1]) else 500
    if _api(request):
        response = JsonResponse(
            {"detail": "Sorry, there is a problem with the service. Try again later."},
            status=status,
        )
    else:
        response = HttpResponse(loader.get_template("core/500.html").render(), status=status)
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
