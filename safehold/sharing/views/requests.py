"""Access requests: the holding agency's inbox and decisions, and the requester's own list."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from safehold import audit
from safehold.accounts import rules as account_rules
from safehold.audit.choices import Action
from safehold.core import dates
from safehold.core.visibility import NotVisible, get_visible_or_404
from safehold.sharing import rules, selectors, services
from safehold.sharing.choices import AccessRequestStatus
from safehold.sharing.forms import ApproveForm, ReasonForm
from safehold.sharing.models import AccessRequest
from safehold.sharing.services import SharingError


def _subject(request: AccessRequest):
    """The person a request is about (none for a record that is neither a case nor a person)."""
    if request.case_id:
        return request.case.subject
    return request.person if request.person_id else None


def _record_id(request: AccessRequest):
    return request.case_id or request.person_id or request.record_key


def _audit_list(request: HttpRequest, requests: list[AccessRequest], purpose: str) -> None:
    """A list naming people is a consultation of their records."""
    if requests:
        audit.record(
            action=Action.CONSULT,
            actor=request.user,
            targets=requests,
            object_ids=[_record_id(r) for r in requests],
            subjects=[_subject(r).pk for r in requests if _subject(r) is not None],
            purpose=purpose,
        )


def inbox(request: HttpRequest) -> HttpResponse:
    """Requests to the user's agency: those waiting first, then the 50 latest decided."""
    if not rules.can_decide_requests(request.user):
        raise PermissionDenied
    requests = selectors.access_requests_to(request.user).select_related("decided_by")
    waiting = list(requests.filter(status=AccessRequestStatus.PENDING).order_by("created_at"))
    decided = list(
        requests.exclude(status=AccessRequestStatus.PENDING).order_by("-decided_at")[:50]
    )
    _audit_list(request, waiting + decided, "access requests to my organisation")
    return render(request, "sharing/request_inbox.html", {"waiting": waiting, "decided": decided})


def sent(request: HttpRequest) -> HttpResponse:
    """The requesting agency's own requests and what became of them."""
    if not account_rules.can_browse_people(request.user):
        raise PermissionDenied
    requests = list(
        selectors.access_requests_by(request.user)
        .select_related("case__subject", "requested_by", "disclosure", "disclosure__agreement")
        .order_by("-created_at")[:100]
    )
    # A request stays in the list after the record stops being shared (revoked, expired, the
    # agreement ended): it is then named by nobody, as the record no longer exists for them.
    known = selectors.live_disclosures_to(request.user.agency_id, level=None)
    known = {pk for pair in known.values_list("case_id", "person_id") for pk in pair if pk}
    for r in requests:
        # A record that is neither a case nor a person was named to the requester by the app
        # that found it (its label): it stays named.
        r.known = bool(r.record_key) or (r.case_id or r.person_id) in known
    _audit_list(request, [r for r in requests if r.known], "access requests by my organisation")
    today = dates.today()
    rows = [(r, r.known and _open_now(r, today)) for r in requests]
    return render(request, "sharing/request_sent.html", {"rows": rows})


def _open_now(request: AccessRequest, today: datetime.date) -> bool:
    """Whether the disclosure an approval made still gives access (link to the record)."""
    d = request.disclosure
    return bool(
        d
        and d.revoked_at is None
        and (d.expires_on is None or d.expires_on >= today)
        and d.agreement.is_live(today)
    )


def _waiting(request: HttpRequest, pk) -> AccessRequest | None:
    """A request to the user's agency (404 for anyone else); None once it has been decided."""
    access_request = get_visible_or_404(
        selectors.access_requests_to(request.user).select_related("decided_by"), pk=pk
    )
    if not rules.can_decide_requests(request.user):
        raise NotVisible(AccessRequest, {"pk": pk})  # 404, as for any record one may not act on
    if access_request.status != AccessRequestStatus.PENDING:
        messages.info(request, "This request has already been decided")
        return None
    return access_request


def _decision_page(request, access_request, form, *, title, submit, agreements=None):
    subject = _subject(access_request)
    audit.record(
        action=Action.CONSULT, actor=request.user, target=access_request,
        object_ids=[_record_id(access_request)], subjects=[subject.pk] if subject else [],
        purpose=f"access request: {title.lower()}",
    )  # fmt: skip
    return render(
        request,
        "sharing/request_decide.html",
        {
            "access_request": access_request,
            "subject": _subject(access_request),
            "form": form,
            "title": title,
            "submit": submit,
            "has_agreements": agreements is None or bool(agreements),
        },
    )


def approve(request: HttpRequest, pk) -> HttpResponse:
    access_request = _waiting(request, pk)
    if access_request is None:
        return redirect("sharing:requests")
    agreements = selectors.live_agreements_between(
        access_request.owning_agency_id, access_request.requesting_agency_id
    ).prefetch_related("parties")
    only = list(agreements[:2])
    form = ApproveForm(
        request.POST or None,
        agreements=agreements,
        initial={"agreement": only[0].pk} if len(only) == 1 else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.approve_request(request=access_request, by=request.user, **form.cleaned_data)
        except SharingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Approved: {access_request.requesting_agency.name} can now open the full record",
            )
            return redirect("sharing:requests")
    return _decision_page(
        request,
        access_request,
        form,
        title="Approve the request",
        submit="Approve and share the full record",
        agreements=only,
    )


def decline(request: HttpRequest, pk) -> HttpResponse:
    access_request = _waiting(request, pk)
    if access_request is None:
        return redirect("sharing:requests")
    agency = access_request.requesting_agency.name
    form = ReasonForm(
        request.POST or None,
        label="Why are you declining it?",
        required_message="Enter why you are declining the request",
        help_text=f"{agency} will see this",
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.decline_request(
                request=access_request, by=request.user, reason=form.cleaned_data["reason"]
            )
        except SharingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Declined: {agency} has been told why")
            return redirect("sharing:requests")
    return _decision_page(
        request, access_request, form, title="Decline the request", submit="Decline request"
    )
