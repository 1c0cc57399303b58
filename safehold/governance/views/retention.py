"""The retention review queue, retain decisions, erasure, the periods and the erasure log."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from safehold.core import dates, registry
from safehold.governance import selectors, services
from safehold.governance.choices import RecordType
from safehold.governance.erasure import selectors as erasure_selectors
from safehold.governance.erasure import services as erasure
from safehold.governance.forms import EraseForm, PolicyForm, RetainForm
from safehold.governance.services import GovernanceError
from safehold.governance.views.common import (
    RECORD_GETTERS,
    consult,
    describe,
    form_page,
    require_govern,
    subjects_of,
)

# --- Retention review ------------------------------------------------------------------------


def retention_queue(request: HttpRequest) -> HttpResponse:
    require_govern(request)
    sections = selectors.review_queue(request.user)
    items = [item for s in sections for item in (*s.due, *s.held)]
    consult(
        request,
        [i.record for i in items],
        subjects=[i.subject_id for i in items if i.subject_id],
        purpose="retention review queue",
    )
    # Records other apps review on their own policy (intelligence: ADR 0049), through their
    # own gates; each source's rows are one consult event.
    reviews = registry.reviews_due(request.user, dates.today())
    for source, rows in reviews:
        consult(request, [row.record for row in rows], subjects=[], purpose=f"{source.name} review")
    return render(request, "governance/retention.html", {"sections": sections, "reviews": reviews})


def _retain(request: HttpRequest, record_type: str, pk) -> HttpResponse:
    record = RECORD_GETTERS[record_type](request, pk)
    title, rows = describe(record_type, record)
    form = RetainForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.retain(
                record_type=record_type, record=record, by=request.user, **form.cleaned_data
            )
        except GovernanceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"{title} has been kept: it comes back for review on "
                f"{form.cleaned_data['next_review_on']:%-d %B %Y}",
            )
            return redirect("governance:retention")
    consult(
        request, [record], subjects=subjects_of(record_type, record), purpose="retention review"
    )
    return form_page(
        request, title="Keep this record", caption=title, rows=rows, form=form,
        submit="Keep record", status=400 if form.errors else 200,
    )  # fmt: skip


def retain_case(request: HttpRequest, pk) -> HttpResponse:
    return _retain(request, RecordType.CASE, pk)


def retain_referral(request: HttpRequest, pk) -> HttpResponse:
    return _retain(request, RecordType.REFERRAL, pk)


def retain_person(request: HttpRequest, pk) -> HttpResponse:
    return _retain(request, RecordType.PERSON, pk)


BLOCKERS = {
    RecordType.CASE: erasure_selectors.case_erasure_blockers,
    RecordType.REFERRAL: erasure_selectors.referral_erasure_blockers,
    RecordType.PERSON: erasure_selectors.person_erasure_blockers,
}
ERASERS = {
    RecordType.CASE: lambda record, **kw: erasure.erase_case(case=record, **kw),
    RecordType.REFERRAL: lambda record, **kw: erasure.erase_referral(referral=record, **kw),
    RecordType.PERSON: lambda record, **kw: erasure.erase_person(person=record, **kw),
}


def _erase(request: HttpRequest, record_type: str, pk) -> HttpResponse:
    """The confirmation page: what will go, what stops it; POST erases."""
    record = RECORD_GETTERS[record_type](request, pk)
    title, rows = describe(record_type, record)
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ERASERS[record_type](record, by=request.user, reason=form.cleaned_data["reason"])
        except GovernanceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{title} has been erased")
            return redirect("governance:erasures")
    blockers = BLOCKERS[record_type](record)
    consult(request, [record], subjects=subjects_of(record_type, record), purpose="erasure check")
    return form_page(
        request, title="Erase this record", caption=title, rows=rows, form=form,
        submit="Erase record", warning=True, blockers=blockers,
        extra={"preview": erasure_selectors.erasure_preview(record_type, record) if not blockers else {}},
        status=400 if form.errors else 200,
    )  # fmt: skip


def erase_case(request: HttpRequest, pk) -> HttpResponse:
    return _erase(request, RecordType.CASE, pk)


def erase_referral(request: HttpRequest, pk) -> HttpResponse:
    return _erase(request, RecordType.REFERRAL, pk)


def erase_person(request: HttpRequest, pk) -> HttpResponse:
    return _erase(request, RecordType.PERSON, pk)


# --- Policies and the erasure log ------------------------------------------------------------


def policies(request: HttpRequest) -> HttpResponse:
    require_govern(request)
    current = selectors.policies()
    labels = {t: selectors.policy_label(t) for t in current}
    form = PolicyForm(request.POST or None, policies=current, labels=labels)
    if request.method == "POST" and form.is_valid():
        for record_type, policy in current.items():
            services.change_policy(
                policy=policy, period_months=form.cleaned_data[record_type], by=request.user
            )
        messages.success(request, "The retention periods have been saved")
        return redirect("governance:policies")
    return render(
        request,
        "governance/policies.html",
        {"form": form, "policies": [(labels[t], p) for t, p in current.items()]},
        status=400 if form.errors else 200,
    )


def erasures(request: HttpRequest) -> HttpResponse:
    """Who erased what (type and id), when and why: never the erased data."""
    require_govern(request)
    page = Paginator(selectors.erasures_visible_to(request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "governance/erasures.html", {"page": page})
