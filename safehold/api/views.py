"""What every API view shares: the API audit context, one transaction per call, denied access
recorded, records fetched through the read gate (404, never 403) and every read audited."""

from collections.abc import Iterable

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model
from django.utils.decorators import method_decorator
from rest_framework import exceptions, generics, mixins, serializers
from rest_framework.response import Response

from safehold import audit
from safehold.audit.choices import Action, Channel, Outcome
from safehold.audit.services import audit_context, current_context
from safehold.core.locking import EditConflict
from safehold.core.visibility import NotVisible, get_visible_or_404

DENIALS = (NotVisible, PermissionDenied, exceptions.PermissionDenied)


class ApiView(generics.GenericAPIView):
    """The base of every Safehold API view.

    DRF answers authentication itself (401 with `WWW-Authenticate`), so the site-wide
    LoginRequiredMiddleware must not redirect API calls to the sign-in page.
    """

    denial: Exception | None = None
    conflict: EditConflict | None = None

    @method_decorator(login_not_required)
    def dispatch(self, request, *args, **kwargs):
        # The middleware set the web context; API calls keep its request id and address.
        outer = current_context()
        with audit_context(
            channel=Channel.API, request_id=outer.request_id, ip_address=outer.ip_address
        ):
            # A savepoint: a call that fails changes nothing, while the denied-access event
            # written after it is kept.
            with transaction.atomic():
                response = super().dispatch(request, *args, **kwargs)
                if getattr(response, "exception", False):
                    transaction.set_rollback(True)
            if self.denial is not None:
                self._record_denial(self.denial)
            if getattr(self.conflict, "current_data", None):
                self._record_conflict_read(self.conflict)
        return response

    def handle_exception(self, exc):
        if isinstance(exc, DENIALS):
            self.denial = exc
        if isinstance(exc, EditConflict):
            self.conflict = exc
        return super().handle_exception(exc)

    def _record_conflict_read(self, conflict: EditConflict) -> None:
        """A refused update's answer shows the record as it is now: a consultation, kept
        although the refused call's own savepoint was rolled back."""
        record = conflict.current
        subjects_of = getattr(self, "subjects_of", lambda record: ())
        with transaction.atomic():
            audit.record(
                action=Action.CONSULT,
                actor=self.request.user,
                target=record,
                subjects=subjects_of(record),
                purpose=f"{getattr(self, 'noun', 'record')} shown with a refused update "
                "(changed by someone else meanwhile)",
                channel=Channel.API,
            )

    def _record_denial(self, exc: Exception) -> None:
        with transaction.atomic():
            audit.record(
                action=Action.ACCESS_DENIED,
                actor=self.request.user,
                object_type=getattr(exc, "object_type", ""),
                object_ids=getattr(exc, "object_ids", ()),
                purpose=f"{self.request.method} {self.request.path}",
                outcome=Outcome.DENIED,
                channel=Channel.API,
            )

    def query_params(self, serializer_class: type[serializers.Serializer]) -> dict:
        """Validated query parameters; bad ones are a 400 naming the parameter."""
        params = serializer_class(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return params.validated_data


class AuditedReadMixin:
    """Names what a read consulted: the noun for the audit purpose, the people it is about."""

    noun = "record"

    def subjects_of(self, record: Model) -> Iterable:
        """The people a record is about (Person ids or instances); none by default."""
        return ()


class RecordListView(AuditedReadMixin, mixins.ListModelMixin, ApiView):
    """A paged list from a selector; one consult event names the records on the page."""

    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)

    def list_purpose(self) -> str:
        return f"{self.noun} list"

    def list(self, request, *args, **kwargs):
        records = list(self.paginate_queryset(self.filter_queryset(self.get_queryset())))
        if records:
            audit.record(
                action=Action.CONSULT,
                actor=request.user,
                targets=records,
                subjects=[s for record in records for s in self.subjects_of(record)],
                purpose=self.list_purpose(),
                channel=Channel.API,
            )
        return self.get_paginated_response(self.get_serializer(records, many=True).data)


class RecordDetailView(AuditedReadMixin, mixins.RetrieveModelMixin, ApiView):
    """One record through the read gate: outside it, 404 and a denied-access event."""

    def get(self, request, *args, **kwargs):
        return self.retrieve(request, *args, **kwargs)

    def get_object(self):
        return get_visible_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def retrieve(self, request, *args, **kwargs):
        record = self.get_object()
        audit.record(
            action=Action.CONSULT,
            actor=request.user,
            target=record,
            subjects=self.subjects_of(record),
            purpose=f"view {self.noun}",
            channel=Channel.API,
        )
        return Response(self.get_serializer(record).data)
