"""Errors as API responses: bad input is 400 `{"field": ["message"]}`, whatever raised it."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from safehold.cases.services.cases import CaseClosed, CaseError
from safehold.cases.services.referrals import ReferralError
from safehold.core.errors import NotPermitted

# Services refuse changes the record's state does not allow; for the caller that is bad input.
STATE_ERRORS = (CaseClosed, CaseError, ReferralError)


def exception_handler(exc, context):
    """DRF's handler, plus model validation and service state errors mapped to 400."""
    if isinstance(exc, NotPermitted):
        # The service's own guard: what the caller may not change does not exist for them.
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, STATE_ERRORS):
        exc = exceptions.ValidationError({"non_field_errors": [str(exc)]})
    return drf_exception_handler(exc, context)
