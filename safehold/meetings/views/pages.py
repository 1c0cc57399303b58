"""The pages that read: through the gates, one consult event naming what was shown."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from safehold import audit
from safehold.audit.choices import Action as AuditAction
from safehold.audit.choices import Channel
from safehold.core.documents import CONTENT_TYPES
from safehold.core.visibility import get_visible_or_404
from safehold.meetings import pack, rules, selectors
from safehold.meetings.models import Meeting


def _consult(request, target, records, subjects, purpose: str, channel=None) -> None:
    audit.record(
        action=AuditAction.CONSULT, actor=request.user, target=target, targets=records,
        subjects=subjects, purpose=purpose, **({"channel": channel} if channel else {}),
    )  # fmt: skip


def meeting_of(request, pk) -> Meeting:
    meetings = selectors.meetings_visible_to(request.user).prefetch_related(
        "attending_agencies", "attendees"
    )
    return get_visible_or_404(meetings, pk=pk)


def series_list(request: HttpRequest) -> HttpResponse:
    """The series the user's agency chairs or attends, with their meetings (no personal data)."""
    if not rules.can_see(request.user):
        raise PermissionDenied
    series = list(selectors.series_visible_to(request.user))
    meetings = selectors.meetings_visible_to(request.user).filter(series__in=series)
    by_series = {s.pk: [] for s in series}
    for meeting in meetings.order_by("-held_on"):
        by_series[meeting.series_id].append(meeting)
    rows = [(s, by_series[s.pk]) for s in series]
    return render(request, "meetings/series_list.html", {"rows": rows})


def _meeting_page(request, pk, purpose: str, template: str, *, carried: bool = False):
    """A page of one meeting: what the user may see of it, one consult event naming it."""
    meeting = meeting_of(request, pk)
    found = pack.contents(meeting, request.user)
    records, subjects = pack.audited_records(found)
    if carried:  # the actions of earlier meetings still open, with their buttons
        found["carried"] = list(selectors.open_actions_before(request.user, meeting))
        records += found["carried"]
        subjects += [a.case.subject_id for a in found["carried"] if a.case_id]
    _consult(request, meeting, records, subjects, purpose)
    return render(request, template, found | {"runs": rules.can_run(request.user, meeting.series)})


def meeting_detail(request: HttpRequest, pk) -> HttpResponse:
    """The meeting: who attends, its own items with their minutes, the actions agreed."""
    return _meeting_page(request, pk, "meeting page", "meetings/meeting_detail.html")


def agenda(request: HttpRequest, pk) -> HttpResponse:
    """The agenda built from Safehold, as the user's agency may see it."""
    return _meeting_page(request, pk, "meeting agenda", "meetings/agenda.html")


def minutes(request: HttpRequest, pk) -> HttpResponse:
    """The minutes, item by item: restricted to the attendees' agencies (the gate)."""
    return _meeting_page(request, pk, "meeting minutes", "meetings/minutes.html")


def actions(request: HttpRequest, pk) -> HttpResponse:
    """The actions agreed at this meeting and those carried over to it."""
    return _meeting_page(request, pk, "meeting actions", "meetings/actions.html", carried=True)


def meeting_pack(request: HttpRequest, pk) -> HttpResponse:
    """The pack of the user's agency as a PDF: what that agency may see, nothing more."""
    meeting = meeting_of(request, pk)
    found = pack.contents(meeting, request.user)
    records, subjects = pack.audited_records(found)
    _consult(request, meeting, records, subjects,
             f"meeting pack printed for {request.user.agency.name}", channel=Channel.EXPORT)  # fmt: skip
    response = HttpResponse(pack.to_pdf(found), content_type=CONTENT_TYPES["pdf"])
    response["Content-Disposition"] = f'attachment; filename="meeting-pack-{meeting.held_on}.pdf"'
    return response


def my_actions(request: HttpRequest) -> HttpResponse:
    """The open actions the user, or their agency with no one named, owns."""
    if not rules.can_see(request.user):
        raise PermissionDenied
    mine = list(selectors.my_actions(request.user))
    if mine:
        audit.record(
            action=AuditAction.CONSULT, actor=request.user, targets=mine,
            subjects=[a.case.subject_id for a in mine if a.case_id], purpose="my meeting actions",
        )  # fmt: skip
    return render(request, "meetings/my_actions.html", {"actions": mine})
