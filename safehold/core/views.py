"""The home page and the GOV.UK error pages."""

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


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors here: the database may be the thing that failed.
    from django.template import loader

    return HttpResponse(loader.get_template("core/500.html").render(), status=500)
