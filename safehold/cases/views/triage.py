"""The exploitation team's triage queue: accept into a case, decline, or signpost elsewhere.

Accepting calls one service (`referrals.accept`), which records a new person and place from
the referral when asked to and opens the case, all in one transaction.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from safehold import audit
from safehold.audit.choices import Action
from safehold.cases import rules, selectors
from safehold.cases.forms.cases import NEW, NONE, AcceptForm, DeclineForm, SignpostForm
from safehold.cases.services import referrals as referral_services
from safehold.cases.services.referrals import FROM_REFERRAL, ReferralError
from safehold.core.locking import EditConflict
from safehold.core.registry import record_notes, record_panels
from safehold.core.visibility import get_visible_or_404


def queue(request: HttpRequest) -> HttpResponse:
    if not rules.can_triage(request.user):
        raise PermissionDenied
    referrals = list(selectors.triage_queue(request.user))
    if referrals:
        audit.record(
            action=Action.CONSULT, actor=request.user, targets=referrals, purpose="triage queue"
        )
    return render(request, "cases/triage_queue.html", {"referrals": referrals})


def _waiting_referral(request: HttpRequest, pk):
    referral = get_visible_or_404(
        selectors.referrals_visible_to(request.user).select_related(
            "referrer", "referrer_agency", "source", "programme"
        ),
        pk=pk,
    )
    if not rules.can_triage_referral(request.user, referral):
        raise PermissionDenied
    return referral


def _render_referral(request, referral, *, accept=None, decline=None, signpost=None, status=200):
    people, places = selectors.likely_duplicates(request.user, referral)
    # The page shows the candidates' names, dates of birth and addresses: their consultation.
    audit.record(
        action=Action.CONSULT, actor=request.user, target=referral,
        targets=[c.location for c in places], subjects=[c.person for c in people],
        purpose="triage referral",
    )  # fmt: skip
    accept = accept or AcceptForm(
        people=people, locations=places, referral=referral, agency_id=request.user.agency_id,
        initial={"lead_officer": request.user.pk},
    )  # fmt: skip
    context = {
        "referral": referral,
        "signs": referral.signs.all(),
        "people": people,
        "places": places,
        "accept": accept,
        "decline": decline or DeclineForm(prefix="decline"),
        "signpost": signpost or SignpostForm(prefix="signpost"),
        "already_known": [c for c in people if c.case_references],
        # A repeat: the person's case still open, held by the user's agency in this programme,
        # can take the referral instead of a new case.
        "open_cases": _open_cases(request, referral, people),
        "record_notes": record_notes(request.user, referral),
        "record_panels": record_panels(request.user, referral),
    }
    return render(request, "cases/triage_referral.html", context, status=status)


def _open_cases(request, referral, people) -> list:
    return [
        case
        for candidate in people
        for case in candidate.open_cases
        if case.owning_agency_id == request.user.agency_id
        and case.programme_id == referral.programme_id
    ]


class _OutOfDate(Exception):
    pass


def _version(request: HttpRequest) -> int:
    """The referral's version the triage page was opened with (ADR 0061)."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        raise _OutOfDate from None


def _refused(request: HttpRequest, error: Exception) -> HttpResponse:
    """A decision the service refused: someone decided first (who, and what it is now), or
    the referral is no longer waiting."""
    if isinstance(error, EditConflict):
        now = error.current.get_status_display().lower()
        messages.error(request, f"{error}: it is now {now}, and your decision was not saved")
    else:
        messages.error(request, str(error))
    return redirect("cases:triage")


def _out_of_date(request: HttpRequest, pk) -> HttpResponse:
    messages.error(request, "This page was out of date: check the referral and decide again")
    return redirect("cases:triage-referral", pk=pk)


def add_to_case(request: HttpRequest, pk) -> HttpResponse:
    """Accept a repeat referral into the person's open case (one of those the page offered)."""
    referral = _waiting_referral(request, pk)
    if request.method != "POST":
        return redirect("cases:triage-referral", pk=pk)
    people, _ = selectors.likely_duplicates(request.user, referral)
    case = next(
        (
            c
            for c in _open_cases(request, referral, people)
            if str(c.pk) == request.POST.get("case")
        ),
        None,
    )
    if case is None:
        messages.error(request, "Select one of the open cases offered")
        return redirect("cases:triage-referral", pk=pk)
    try:
        referral_services.add_to_case(
            referral=referral, by=request.user, case=case, version=_version(request)
        )
    except _OutOfDate:
        return _out_of_date(request, pk)
    except (ReferralError, EditConflict) as error:
        return _refused(request, error)
    messages.success(
        request, f"Referral {referral.reference} has been added to case {case.reference}"
    )
    return redirect("cases:detail", pk=case.pk)


def referral(request: HttpRequest, pk) -> HttpResponse:
    return _render_referral(request, _waiting_referral(request, pk))


def accept(request: HttpRequest, pk) -> HttpResponse:
    referral = _waiting_referral(request, pk)
    if request.method != "POST":
        return redirect("cases:triage-referral", pk=pk)
    people, places = selectors.likely_duplicates(request.user, referral)
    form = AcceptForm(
        request.POST,
        people=people,
        locations=places,
        referral=referral,
        agency_id=request.user.agency_id,
    )
    if not form.is_valid():
        return _render_referral(request, referral, accept=form)
    data = form.cleaned_data
    person = (
        FROM_REFERRAL
        if data["person"] == NEW
        else next(c.person for c in people if str(c.person.pk) == data["person"])
    )
    if data["location"] == NEW:
        location = FROM_REFERRAL
    elif data["location"] == NONE:
        location = None
    else:
        location = next(c.location for c in places if str(c.location.pk) == data["location"])
    try:
        case = referral_services.accept(
            referral=referral,
            by=request.user,
            person=person,
            location=location,
            area=data["area"],
            exploitation_type=data["exploitation_type"],
            risk_level=data["risk_level"],
            risk_rationale=data["risk_rationale"],
            lead_officer=data["lead_officer"],
            version=_version(request),
        )
    except _OutOfDate:
        return _out_of_date(request, pk)
    except (ReferralError, EditConflict) as error:
        return _refused(request, error)
    note = (
        " This is a repeat referral: the person already had a case."
        if referral.repeat_referral
        else ""
    )
    messages.success(
        request, f"Referral {referral.reference} has been accepted as case {case.reference}.{note}"
    )
    return redirect("cases:detail", pk=case.pk)


def decline(request: HttpRequest, pk) -> HttpResponse:
    referral = _waiting_referral(request, pk)
    if request.method != "POST":
        return redirect("cases:triage-referral", pk=pk)
    form = DeclineForm(request.POST, prefix="decline")
    if not form.is_valid():
        return _render_referral(request, referral, decline=form)
    try:
        referral_services.decline(
            referral=referral, by=request.user, reason=form.cleaned_data["reason"],
            version=_version(request),
        )  # fmt: skip
    except _OutOfDate:
        return _out_of_date(request, pk)
    except (ReferralError, EditConflict) as error:
        return _refused(request, error)
    messages.success(request, f"Referral {referral.reference} has been declined")
    return redirect("cases:triage")


def signpost(request: HttpRequest, pk) -> HttpResponse:
    referral = _waiting_referral(request, pk)
    if request.method != "POST":
        return redirect("cases:triage-referral", pk=pk)
    form = SignpostForm(request.POST, prefix="signpost")
    if not form.is_valid():
        return _render_referral(request, referral, signpost=form)
    try:
        referral_services.signpost(
            referral=referral,
            by=request.user,
            to=form.cleaned_data["to"],
            reason=form.cleaned_data["reason"],
            version=_version(request),
        )
    except _OutOfDate:
        return _out_of_date(request, pk)
    except (ReferralError, EditConflict) as error:
        return _refused(request, error)
    messages.success(
        request, f"Referral {referral.reference} has been signposted to {form.cleaned_data['to']}"
    )
    return redirect("cases:triage")
