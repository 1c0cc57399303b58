"""The audit search screen for information-governance officers, with CSV export."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from safehold import audit
from safehold.audit.choices import Action, Channel
from safehold.audit.forms import AuditSearchForm
from safehold.audit.rules import can_search_audit
from safehold.audit.selectors import redacted, search_audit_events
from safehold.core.exports import streaming_csv_writer

CSV_COLUMNS = [
    "id", "occurred_at", "actor", "actor_agency", "actor_role", "action", "object_type",
    "object_ids", "subject_ids", "purpose", "agreement_id", "legal_gateway",
    "recipient_agency_ids", "recipient_user_ids", "channel", "request_id", "ip_address",
    "outcome", "prev_hash", "hash",
]  # fmt: skip


def _search(request: HttpRequest):
    if not can_search_audit(request.user):
        raise PermissionDenied
    form = AuditSearchForm(request.GET or None, user=request.user)
    events = None
    if form.is_bound and form.is_valid():
        record_id = form.cleaned_data["record"].strip()
        events = search_audit_events(
            request.user,
            actor_id=form.cleaned_data["actor"].pk if form.cleaned_data["actor"] else None,
            record_id=record_id or None,
            date_from=form.cleaned_data["date_from"],
            date_to=form.cleaned_data["date_to"],
        )
    return form, events


def search(request: HttpRequest) -> HttpResponse:
    form, events = _search(request)
    page = None
    if events is not None:
        page = Paginator(events, 50).get_page(request.GET.get("page"))
        page.object_list = list(redacted(request.user, page.object_list))
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
        for e in redacted(request.user, events.iterator(chunk_size=2000)):
            yield writer.writerow([
                e.id, e.occurred_at.isoformat(), e.actor_label,
                e.actor_agency.name if e.actor_agency else "", e.actor_role, e.action,
                e.object_type, e.object_ids, e.subject_ids, e.purpose,
                e.agreement_id or "", e.legal_gateway, e.recipient_agency_ids, e.recipient_user_ids,
                e.channel, e.request_id, e.ip_address or "", e.outcome, e.prev_hash, e.hash,
            ])  # fmt: skip

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="safehold-audit.csv"'
    return response
