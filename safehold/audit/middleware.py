"""Per-request audit context, and denied-access events for records outside the read gate."""

import uuid

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from safehold import audit
from safehold.audit.choices import Action, Channel, Outcome
from safehold.audit.services import audit_context
from safehold.core.addresses import client_address
from safehold.core.visibility import NotVisible


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex
        request.request_id = request_id  # for the log lines written after the response (logs.py)
        with audit_context(
            channel=Channel.WEB, request_id=request_id, ip_address=client_address(request)
        ):
            return self.get_response(request)

    def process_exception(self, request, exception):
        # The view's own transaction has already rolled back; the denial is kept on its own.
        if isinstance(exception, NotVisible):
            with transaction.atomic():
                audit.record(
                    action=Action.ACCESS_DENIED,
                    actor=request.user,
                    object_type=exception.object_type,
                    object_ids=exception.object_ids,
                    purpose=f"{request.method} {request.path}",
                    outcome=Outcome.DENIED,
                )
        elif isinstance(exception, PermissionDenied):
            match = request.resolver_match
            pk = match.kwargs.get("pk") if match else None
            with transaction.atomic():
                audit.record(
                    action=Action.ACCESS_DENIED,
                    actor=request.user,
                    object_ids=[pk] if pk is not None else [],
                    purpose=f"{request.method} {request.path}",
                    outcome=Outcome.DENIED,
                )
            if pk is not None:
                # On a URL that names a record, a refusal is a 404 like any record one may not
                # see: a 403 would tell a role that may not act on it that the record exists.
                raise Http404("No such record.") from exception
        return None
