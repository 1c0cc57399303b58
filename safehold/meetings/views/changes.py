"""The pages that change something: each parses its form and calls one service; a service's
refusal is shown in the form's error summary (or, for NotPermitted, as a 404)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from safehold import audit
from safehold.audit.choices import Action as AuditAction
from safehold.cases.selectors import cases_editable_by, cases_visible_to
from safehold.core.errors import Conflict, NotPermitted, ServiceError
from safehold.core.visibility import get_visible_or_404
from safehold.meetings import rules, selectors, services
from safehold.meetings.forms import (
    ActionForm,
    FlagByReferenceForm,
    FlagCaseForm,
    ItemForm,
    MeetingForm,
    MinuteForm,
)
from safehold.meetings.views.pages import meeting_of


def _running(request, pk):
    """The meeting, for the chairing agency's casework roles only (anyone else: 404)."""
    meeting = meeting_of(request, pk)
    if not rules.can_run(request.user, meeting.series):
        raise PermissionDenied  # on a record URL: a 404 (ADR 0027)
    return meeting


def _call(form, service, **kwargs):
    """Call the service; its refusal (bad input or the record's state) goes to the form."""
    try:
        return service(**kwargs)
    except NotPermitted:
        raise PermissionDenied from None
    except (ServiceError, Conflict) as error:
        form.add_error(None, str(error))
        return None


def meeting_create(request: HttpRequest, pk) -> HttpResponse:
    """Schedule a meeting of a series the user's agency chairs."""
    series = get_visible_or_404(selectors.series_visible_to(request.user), pk=pk)
    if not rules.can_run(request.user, series):
        raise PermissionDenied
    form = MeetingForm(request.POST if request.method == "POST" else None, series=series)
    if request.method == "POST" and form.is_valid():
        meeting = _call(
            form, services.schedule_meeting, series=series, by=request.user,
            held_on=form.cleaned_data["held_on"],
            attending_agencies=list(form.cleaned_data["attending_agencies"]),
            apologies=form.cleaned_data["apologies"],
        )  # fmt: skip
        if meeting:
            messages.success(request, "The meeting has been scheduled")
            return redirect("meetings:meeting", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form, "series": series})


def item_add(request: HttpRequest, pk) -> HttpResponse:
    meeting = _running(request, pk)
    form = ItemForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        item = _call(form, services.add_item, meeting=meeting, by=request.user, **form.cleaned_data)
        if item:
            messages.success(request, "The item has been added to the agenda")
            return redirect("meetings:meeting", pk=meeting.pk)
    return render(request, "meetings/item_form.html", {"form": form, "meeting": meeting})


def flag_case(request: HttpRequest, pk) -> HttpResponse:
    """The case's holder puts it on a meeting's agenda (and so shares it with the attendees)."""
    case = get_visible_or_404(cases_visible_to(request.user).select_related("subject"), pk=pk)
    if not (rules.can_take_part(request.user) and case.owning_agency_id == request.user.agency_id):
        raise PermissionDenied
    meetings = list(selectors.flaggable_meetings(request.user, case))
    form = FlagCaseForm(request.POST if request.method == "POST" else None, meetings=meetings)
    if request.method == "POST" and form.is_valid():
        item = _call(
            form, services.flag_case, case=case, by=request.user,
            meeting=form.cleaned_data["meeting"], level=form.cleaned_data["level"],
            keep_sharing=form.cleaned_data["keep_sharing"],
        )  # fmt: skip
        if item:
            messages.success(request, f"Case {case.reference} is on the agenda of {item.meeting}")
            return redirect("meetings:agenda", pk=item.meeting_id)
    # The form names the case's subject: showing it is a consultation.
    audit.record(
        action=AuditAction.CONSULT, actor=request.user, target=case,
        subjects=[case.subject_id], purpose="flag for a meeting form",
    )  # fmt: skip
    return render(
        request, "meetings/flag_form.html", {"form": form, "case": case, "meetings": meetings}
    )


def flag_by_reference(request: HttpRequest, pk) -> HttpResponse:
    """From the meeting: a user of an attending agency flags one of its cases by reference."""
    meeting = meeting_of(request, pk)
    attends = meeting.attending_agencies.filter(pk=request.user.agency_id).exists()
    if not (rules.can_take_part(request.user) and attends):
        raise PermissionDenied
    form = FlagByReferenceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # Only the agency's own cases: another's reference is as unknown as a wrong one.
        case = (
            cases_editable_by(request.user)
            .filter(reference__iexact=data["reference"].strip())
            .first()
        )
        if case is None:
            form.add_error("reference", "Enter the reference of a case your agency holds")
        elif _call(
            form, services.flag_case, meeting=meeting, case=case, by=request.user,
            level=data["level"], keep_sharing=data["keep_sharing"],
        ):  # fmt: skip
            messages.success(request, f"Case {case.reference} is on the agenda")
            return redirect("meetings:agenda", pk=meeting.pk)
    return render(request, "meetings/flag_by_reference.html", {"form": form, "meeting": meeting})


def minute_edit(request: HttpRequest, pk) -> HttpResponse:
    """Minutes of one item of the meeting (item chosen by `item` in the query or the form)."""
    meeting = _running(request, pk)
    item_id = request.POST.get("item") or request.GET.get("item")
    if not item_id:
        return redirect("meetings:minutes", pk=meeting.pk)
    item = get_visible_or_404(
        selectors.items_visible_to(request.user).filter(meeting=meeting), pk=item_id
    )
    minute = getattr(item, "minute", None)
    initial = {"text": minute.text} if minute else None
    form = MinuteForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if _call(form, services.record_minute, item=item, by=request.user, **form.cleaned_data):
            messages.success(request, "The minutes have been saved")
            return redirect("meetings:minutes", pk=meeting.pk)
    if item.case_id:
        audit.record(
            action=AuditAction.CONSULT, actor=request.user, target=item.case,
            subjects=[item.case.subject_id], purpose="minutes form",
        )  # fmt: skip
    return render(
        request, "meetings/minute_form.html", {"form": form, "meeting": meeting, "item": item}
    )


def action_add(request: HttpRequest, pk) -> HttpResponse:
    meeting = _running(request, pk)
    items = list(selectors.items_visible_to(request.user).filter(meeting=meeting))
    form = ActionForm(
        request.POST if request.method == "POST" else None, meeting=meeting, items=items
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        action = _call(
            form, services.add_action, meeting=meeting, by=request.user,
            description=data["description"], due_on=data["due_on"],
            owning_agency=data["owning_agency"], owner=data["owner"], item=data["item"],
        )  # fmt: skip
        if action:
            messages.success(request, "The action has been added")
            return redirect("meetings:actions", pk=meeting.pk)
    return render(request, "meetings/action_form.html", {"form": form, "meeting": meeting})


def action_done(request: HttpRequest, pk) -> HttpResponse:
    """Mark an action done (its owner, its agency or the chairing agency); asks first."""
    action = get_visible_or_404(selectors.actions_visible_to(request.user), pk=pk)
    if request.method != "POST":
        if action.case_id:
            audit.record(
                action=AuditAction.CONSULT, actor=request.user, target=action,
                subjects=[action.case.subject_id], purpose="meeting action",
            )  # fmt: skip
        return render(request, "meetings/action_done.html", {"action": action})
    try:
        services.complete_action(action=action, by=request.user)
    except NotPermitted:
        raise PermissionDenied from None
    except Conflict as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The action has been marked as done")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    return redirect(back or "meetings:my-actions")


def close(request: HttpRequest, pk) -> HttpResponse:
    """Close the meeting's record (asks first)."""
    meeting = _running(request, pk)
    error = ""
    if request.method == "POST":
        try:
            services.close_meeting(meeting=meeting, by=request.user)
        except (ServiceError, Conflict) as refused:
            error = str(refused)
        else:
            messages.success(request, "The meeting's record has been closed")
            return redirect("meetings:meeting", pk=meeting.pk)
    return render(request, "meetings/close.html", {"meeting": meeting, "error": error})
