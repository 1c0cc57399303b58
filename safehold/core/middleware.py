"""Refusing control characters in every request, before any view or query sees them
(safehold/core/text.py says why)."""

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

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
