"""The audit search screen for information-governance officers, with CSV export."""

from itertools import islice

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from safehold import audit
from safehold.audit.choices import Action, Channel
from safehold.audit.forms import AuditSearchForm
from safehold.audit.rules import can_search_audit
from safehold.audit.selectors import (
    kind_in_words,
    redacted,
    search_audit_events,
    with_records,
)
from safehold.core.exports import streaming_csv_writer

CSV_COLUMNS = [
    "id", "occurred_at", "actor", "actor_agency", "actor_role", "action", "object_type",
    "records", "object_ids", "subject_ids", "purpose", "agreement_id", "legal_gateway",
    "recipient_agency_ids", "recipient_user_ids", "channel", "request_id", "ip_address",
    "outcome", "prev_hash", "hash",
]  # fmt: skip


PER_PAGE = 50


def _search(request: HttpRequest):
    if not can_search_audit(request.user):
        raise PermissionDenied
    form = AuditSearchForm(request.GET or None, user=request.user)
    events = None
    if form.is_bound and form.is_valid():
        events = search_audit_events(
            request.user,
            actor_id=form.cleaned_data["actor"].pk if form.cleaned_data["actor"] else None,
            record=form.cleaned_data["record"].strip() or None,
            date_from=form.cleaned_data["date_from"],
            date_to=form.cleaned_data["date_to"],
        )
    return form, events


def search(request: HttpRequest) -> HttpResponse:
    form, events = _search(request)
    page = None
    if events is not None:
        page = Paginator(events, PER_PAGE).get_page(request.GET.get("page"))
        page.object_list = with_records(request.user, redacted(request.user, page.object_list))
        # A search by name or reference reveals which records match: it is a read (ADR 0025:
        # the filters' names, never what was typed).
        audit.record(
            action=Action.CONSULT,
            actor=request.user,
            object_type="audit.auditevent",
            purpose=audit.search_purpose("audit search", form.cleaned_data, joined_by=": "),
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "audit/search.html", {"form": form, "page": page, "query": query.urlencode()}
    )


def export_csv(request: HttpRequest) -> HttpResponse:
    form, events = _search(request)
    if events is None:
        return render(
            request, "audit/search.html", {"form": form, "page": None, "query": ""}, status=400
        )
    audit.record(
        action=Action.CONSULT,
        actor=request.user,
        object_type="audit.auditevent",
        purpose=audit.search_purpose("audit search export", form.cleaned_data, joined_by=": "),
        channel=Channel.EXPORT,
    )
    writer = streaming_csv_writer()

    def rows():
        yield writer.writerow(CSV_COLUMNS)
        for chunk in _chunks(redacted(request.user, events.iterator(chunk_size=2000)), 2000):
            for e in with_records(request.user, chunk):
                yield writer.writerow([
                    e.id, e.occurred_at.isoformat(), e.actor_label,
                    e.actor_agency.name if e.actor_agency else "", _role(e.actor_role),
                    e.get_action_display(), kind_in_words(e.object_type) if e.object_type else "",
                    "; ".join(r["text"] for r in e.records if "id" not in r), e.object_ids,
                    e.subject_ids, e.purpose, e.agreement_id or "", e.legal_gateway,
                    e.recipient_agency_ids, e.recipient_user_ids, e.get_channel_display(),
                    e.request_id, e.ip_address or "", e.get_outcome_display(), e.prev_hash, e.hash,
                ])  # fmt: skip

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="safehold-audit.csv"'
    return response


def _chunks(events, size: int):
    events = iter(events)
    while chunk := list(islice(events, size)):
        yield chunk


def _role(code: str) -> str:
    """The actor's role as the event recorded it, in words where it is one of today's roles
    (the audit app knows no accounts model: ADR 0033, so the user model's field says)."""
    field = get_user_model()._meta.get_field("role")
    return dict(field.flatchoices).get(code, code)
