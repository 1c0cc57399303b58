"""Errors as API responses: bad input is 400 `{"field": ["message"]}`, whatever raised it."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from safehold.core.errors import Conflict, NotPermitted, ServiceError
from safehold.core.locking import EditConflict


def _messages(detail) -> list[str]:
    """Every message in an error detail, however DRF nested it (a list field's errors come
    keyed by position: {"0": [...]}), in order and once each."""
    if isinstance(detail, dict):
        found = [m for value in detail.values() for m in _messages(value)]
    elif isinstance(detail, list):
        found = [m for value in detail for m in _messages(value)]
    else:
        found = [str(detail)]
    return list(dict.fromkeys(found))


def exception_handler(exc, context):
    """DRF's handler, plus model validation and every app's service errors (`core.errors`):
    400, 409, or 404 for an actor who may not touch the record; every 400
    body is one flat list of messages per field, as the schema and the API guide say (a
    malformed body's message is under `non_field_errors`)."""
    if isinstance(exc, EditConflict):
        # Someone saved first (ADR 0061): who, when, and the record now, to re-apply over it.
        response = drf_exception_handler(exceptions.APIException(str(exc)), context)
        response.status_code = 409
        response.data = {
            "detail": str(exc),
            **exc.problem(),
            "current": getattr(exc, "current_data", {}),
        }
        return response
    if isinstance(exc, NotPermitted):
        # The service's own guard: what the caller may not change does not exist for them.
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Conflict):
        exc = exceptions.APIException(str(exc))
        exc.status_code = 409
    elif isinstance(exc, ServiceError):
        # Any app's refusal is bad input for the caller, with the service's own words.
        exc = exceptions.ValidationError({"non_field_errors": [str(exc)]})
    response = drf_exception_handler(exc, context)
    if response is not None and response.status_code == 400:
        data = response.data if isinstance(response.data, dict) else {"": response.data}
        response.data = {
            ("non_field_errors" if field in ("", "detail") else field): _messages(detail)
            for field, detail in data.items()
        }
    return response
