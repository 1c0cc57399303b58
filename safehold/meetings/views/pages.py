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
    return get_visible_or_404(selectors.meetings_visible_to(request.user), pk=pk)


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


def meeting_detail(request: HttpRequest, pk) -> HttpResponse:
    """The meeting: who attends, its own items with their minutes, the actions agreed."""
    meeting = meeting_of(request, pk)
    found = pack.contents(meeting, request.user)
    records, subjects = pack.audited_records(found)
    _consult(request, meeting, records, subjects, "meeting page")
    return render(request, "meetings/meeting_detail.html", _context(request, found))


def agenda(request: HttpRequest, pk) -> HttpResponse:
    """The agenda built from Safehold, as the user's agency may see it."""
    meeting = meeting_of(request, pk)
    found = pack.contents(meeting, request.user)
    records, subjects = pack.audited_records(found)
    _consult(request, meeting, records, subjects, "meeting agenda")
    return render(request, "meetings/agenda.html", _context(request, found))


def minutes(request: HttpRequest, pk) -> HttpResponse:
    """The minutes, item by item: restricted to the attendees' agencies (the gate)."""
    meeting = meeting_of(request, pk)
    found = pack.contents(meeting, request.user)
    records, subjects = pack.audited_records(found)
    _consult(request, meeting, records, subjects, "meeting minutes")
    return render(request, "meetings/minutes.html", _context(request, found))


def actions(request: HttpRequest, pk) -> HttpResponse:
    """The actions agreed at this meeting and those carried over to it."""
    meeting = meeting_of(request, pk)
    found = pack.contents(meeting, request.user)
    carried = list(selectors.open_actions_before(request.user, meeting))
    records, subjects = pack.audited_records(found)
    subjects += [a.case.subject_id for a in carried if a.case_id]
    _consult(request, meeting, records + carried, subjects, "meeting actions")
    return render(request, "meetings/actions.html", _context(request, found) | {"carried": carried})


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


def _context(request, found: dict) -> dict:
    meeting = found["meeting"]
    return found | {"runs": rules.can_run(request.user, meeting.series)}
