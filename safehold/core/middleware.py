"""Request hygiene: control characters refused before any view or query sees them
(safehold/core/text.py says why), and a Content-Security-Policy on every response."""

import contextvars
import json
import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from safehold.core.errors import NotPermitted, ServiceError
from safehold.core.text import has_control_character

MESSAGE = (
    "The request contains a control character (such as a NUL byte) that Safehold does not "
    "accept. Remove it and try again"
)


def _strings(value):
    """Every string in a parsed JSON document, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _json_strings(request: HttpRequest):
    if request.content_type != "application/json" or not request.body:
        return
    try:
        document = json.loads(request.body)
    except ValueError:
        return  # not JSON: the API answers that itself
    yield from _strings(document)


def _form_strings(request: HttpRequest):
    posted = request.method == "POST"
    for data in (request.GET, request.POST) if posted else (request.GET,):
        for key, values in data.lists():
            yield key
            yield from values
    for upload in request.FILES.values() if posted else ():
        yield upload.name or ""


def refused(request: HttpRequest) -> bool:
    """True when the query string, the form fields (and file names) or a JSON body hold a
    control character other than tab, newline or carriage return."""
    strings = _form_strings(request)
    if any(has_control_character(s) for s in strings):
        return True
    return any(has_control_character(s) for s in _json_strings(request))


class ControlCharacterMiddleware:
    """Answers 400 to a request carrying a control character: the GOV.UK error page, or the
    API's JSON error under /api/."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if refused(request):
            if request.path.startswith("/api/"):
                return JsonResponse({"non_field_errors": [MESSAGE]}, status=400)
            return render(request, "core/400.html", {"message": MESSAGE}, status=400)
        return self.get_response(request)


class ServiceErrorMiddleware:
    """A service's refusal that its page did not handle becomes a clear page, not a 500: the
    service's own message, with its status (`core.errors`); an actor who may not touch a
    record gets the 404 everyone else gets. Pages still catch the errors they expect and show
    them beside the form; this is the one place every app's errors end up otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not isinstance(exception, ServiceError):
            return None
        if isinstance(exception, NotPermitted):
            raise Http404("No such record.") from exception
        if request.path.startswith("/api/"):
            return JsonResponse({"non_field_errors": [str(exception)]}, status=exception.status)
        return render(
            request, "core/refused.html", {"message": str(exception)}, status=exception.status
        )


# The nonce of the request being answered, for the `{% csp_nonce %}` tag: a context variable
# rather than a template variable, so that documents rendered with render_to_string (the
# printable reports) carry it too.
current_nonce: contextvars.ContextVar[str] = contextvars.ContextVar("csp_nonce", default="")


def _origin(url: str) -> str:
    """scheme://host[:port] of a URL template such as a map tile server's."""
    parts = urlsplit(url.replace("{s}", "a"))
    return f"{parts.scheme}://{parts.netloc}".replace("://a.", "://*.") if parts.netloc else ""


def content_security_policy(nonce: str) -> str:
    """Scripts and style sheets from Safehold itself, or inline with this response's nonce
    (GOV.UK Frontend's `govuk-frontend-supported` line, the printable documents' styles);
    style attributes are allowed (charts and map keys colour with them; Leaflet positions
    with the style property, which CSP does not govern); images also from the map's tile
    server, when one is configured; nothing framed, no plugins (ADR 0028)."""
    tiles = _origin(getattr(settings, "CRIME_MAP_TILE_URL", ""))
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            f"style-src 'self' 'nonce-{nonce}'",
            "style-src-attr 'unsafe-inline'",
            f"img-src 'self' data:{f' {tiles}' if tiles else ''}",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class ContentSecurityPolicyMiddleware:
    """Sets a Content-Security-Policy with a fresh nonce on every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = secrets.token_urlsafe(18)
        token = current_nonce.set(nonce)
        try:
            response = self.get_response(request)
        finally:
            current_nonce.reset(token)
        response.setdefault("Content-Security-Policy", content_security_policy(nonce))
        return response
