"""Legal holds: place one on a person or a case, list them, lift one."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from safehold.governance import selectors, services
from safehold.governance.choices import RecordType
from safehold.governance.forms import HoldForm, LiftHoldForm
from safehold.governance.services import GovernanceError
from safehold.governance.views.common import (
    RECORD_GETTERS,
    consult,
    describe,
    form_page,
    held,
    require_govern,
    subjects_of,
)

# --- Legal holds -----------------------------------------------------------------------------


def _hold(request: HttpRequest, record_type: str, pk) -> HttpResponse:
    record = RECORD_GETTERS[record_type](request, pk)
    title, rows = describe(record_type, record)
    form = HoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.place_hold(
                by=request.user,
                reason=form.cleaned_data["reason"],
                **{"person" if record_type == RecordType.PERSON else "case": record},
            )
        except GovernanceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"A legal hold has been placed on {title}")
            return redirect("governance:holds")
    consult(request, [record], subjects=subjects_of(record_type, record), purpose="legal hold form")
    return form_page(
        request, title="Place a legal hold", caption=title, rows=rows, form=form,
        submit="Place legal hold", cancel=reverse("governance:holds"),
        status=400 if form.errors else 200,
    )  # fmt: skip


def hold_person(request: HttpRequest, pk) -> HttpResponse:
    return _hold(request, RecordType.PERSON, pk)


def hold_case(request: HttpRequest, pk) -> HttpResponse:
    return _hold(request, RecordType.CASE, pk)


def holds(request: HttpRequest) -> HttpResponse:
    require_govern(request)
    all_holds = list(selectors.holds_visible_to(request.user)[:200])
    consult(
        request,
        [h.record for h in all_holds],
        subjects=[h.person_id or h.case.subject_id for h in all_holds],
        purpose="legal holds list",
    )
    return render(
        request,
        "governance/holds.html",
        {
            "active": [h for h in all_holds if h.is_active],
            "lifted": [h for h in all_holds if not h.is_active],
        },
    )


def lift_hold(request: HttpRequest, pk) -> HttpResponse:
    hold = held(request, selectors.holds_held_by(request.user), pk)
    record_type = RecordType.CASE if hold.case_id else RecordType.PERSON
    title, rows = describe(record_type, hold.record)
    rows = [("Held since", f"{timezone.localdate(hold.placed_at):%-d %B %Y}"),
            ("Reason for the hold", hold.reason), *rows]  # fmt: skip
    form = LiftHoldForm(request.POST or None)
    if not hold.is_active:
        messages.error(request, "This hold has already been lifted")
        return redirect("governance:holds")
    if request.method == "POST" and form.is_valid():
        services.lift_hold(hold=hold, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, f"The legal hold on {title} has been lifted")
        return redirect("governance:holds")
    consult(
        request,
        [hold.record],
        subjects=subjects_of(record_type, hold.record),
        purpose="lift hold form",
    )
    return form_page(
        request, title="Lift the legal hold", caption=title, rows=rows, form=form,
        submit="Lift legal hold", cancel=reverse("governance:holds"),
        status=400 if form.errors else 200,
    )  # fmt: skip
