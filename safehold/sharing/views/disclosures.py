"""Sharing a case or a person with another agency, and stopping sharing it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from safehold import audit
from safehold.audit.choices import Action
from safehold.core.registry import record_kind
from safehold.core.visibility import get_visible_or_404
from safehold.sharing import rules, selectors, services
from safehold.sharing.choices import DisclosureLevel
from safehold.sharing.forms import ReasonForm, ShareForm
from safehold.sharing.services import SharingError


# A case or a person: what the sharing pages know of them comes from the app that holds them
# (its registered RecordKind: read gate, page, subject, name), never from importing it.
def _kind(record):
    return record_kind(record._meta.model_name)


def _record_url(record) -> str:
    return reverse(_kind(record).detail_url, args=[record.pk])


def _consulted(request: HttpRequest, record, purpose: str) -> None:
    """A sharing page names the record's subject: its showing is a consultation."""
    audit.record(
        action=Action.CONSULT, actor=request.user, target=record,
        subjects=[_kind(record).subject_id(record)], purpose=purpose,
    )  # fmt: skip


def _record_name(record) -> str:
    return _kind(record).display_name(record)


def _share(request: HttpRequest, record, *, noun: str) -> HttpResponse:
    """The share page for a record the user can see; only its holder's casework roles share."""
    owner = record.owning_agency
    if not (rules.can_share(request.user) and owner.pk == request.user.agency_id):
        raise PermissionDenied
    agreements = selectors.live_agreements_of(owner).prefetch_related("parties")
    form = ShareForm(request.POST or None, owner=owner, agreements=agreements)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.disclose(
                agreement=data["agreement"], to_agency=data["to_agency"], level=data["level"],
                purpose=data["purpose"], by=request.user, expires_on=data["expires_on"],
                **{noun: record},
            )  # fmt: skip
        except SharingError as error:
            form.add_error(None, str(error))
        else:
            level = DisclosureLevel(data["level"]).label.lower()
            messages.success(
                request, f"The record has been shared with {data['to_agency'].name}: {level}"
            )
            return redirect(_record_url(record))
    _consulted(request, record, "share page")
    return render(
        request,
        "sharing/share.html",
        {
            "form": form,
            "record": record,
            "record_name": _record_name(record),
            "record_url": _record_url(record),
            "noun": noun,
            "has_agreements": bool(form.fields["agreement"].queryset),
        },
    )


def _visible(request: HttpRequest, pk, noun: str):
    kind = record_kind(noun)
    gate = kind.visible_to(request.user).select_related("owning_agency", *kind.related)
    return get_visible_or_404(gate, pk=pk)


def share_case(request: HttpRequest, pk) -> HttpResponse:
    return _share(request, _visible(request, pk, "case"), noun="case")


def share_person(request: HttpRequest, pk) -> HttpResponse:
    return _share(request, _visible(request, pk, "person"), noun="person")


def revoke(request: HttpRequest, pk) -> HttpResponse:
    """Stop sharing: the recipient's access ends on its next request."""
    disclosure = get_visible_or_404(
        selectors.disclosures_visible_to(request.user).select_related(
            "to_agency", "agreement", "case", "case__subject", "person", "disclosed_by"
        ),
        pk=pk,
    )
    if not rules.can_share(request.user):
        raise PermissionDenied
    record = disclosure.record
    if disclosure.revoked_at:
        messages.info(request, f"Sharing with {disclosure.to_agency.name} had already stopped")
        return redirect(_record_url(record))
    form = ReasonForm(
        request.POST or None,
        label="Why are you stopping sharing?",
        required_message="Enter why you are stopping sharing",
        help_text="This is kept in the audit trail",
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.revoke(
                disclosure=disclosure, by=request.user, reason=form.cleaned_data["reason"]
            )
        except SharingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, f"The record is no longer shared with {disclosure.to_agency.name}"
            )
            return redirect(_record_url(record))
    _consulted(request, record, "stop sharing page")
    return render(
        request,
        "sharing/revoke.html",
        {
            "form": form,
            "disclosure": disclosure,
            "record_name": _record_name(record),
            "record_url": _record_url(record),
        },
    )
