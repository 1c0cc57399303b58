"""The read gates of meetings: what these do not return does not exist for the user.

A series and its meetings are seen by users of the chairing agency and of every agency that
attends one of its meetings (a meeting: its chair's agency and its attending agencies). What
the meetings say about a case (a flagged case, a minute, an action) is seen only by those who
may see the case itself (`cases_visible_to`): sharing decides, never the meeting.
"""

from django.db.models import Q, QuerySet

from safehold.cases.selectors import cases_visible_to
from safehold.meetings import rules
from safehold.meetings.models import Action, AgendaItem, Meeting, MeetingSeries, Minute

_ATTENDANCE = Meeting.attending_agencies.through


def _attended(agency_id):
    return _ATTENDANCE.objects.filter(agency_id=agency_id).values("meeting_id")


def series_visible_to(user) -> QuerySet[MeetingSeries]:
    if not rules.can_see(user):
        return MeetingSeries.objects.none()
    return MeetingSeries.objects.filter(
        Q(owning_agency=user.agency_id)
        | Q(pk__in=Meeting.objects.filter(pk__in=_attended(user.agency_id)).values("series_id"))
    ).select_related("owning_agency", "agreement")


def meetings_visible_to(user) -> QuerySet[Meeting]:
    if not rules.can_see(user):
        return Meeting.objects.none()
    return Meeting.objects.filter(
        Q(series__owning_agency=user.agency_id) | Q(pk__in=_attended(user.agency_id))
    ).select_related("series", "series__owning_agency", "series__agreement", "chair")


def _about_visible_case(user) -> Q:
    return Q(case__isnull=True) | Q(case__in=cases_visible_to(user))


def items_visible_to(user) -> QuerySet[AgendaItem]:
    """Agenda items of the meetings the user may see; a flagged case's only with the case."""
    return AgendaItem.objects.filter(
        _about_visible_case(user), meeting__in=meetings_visible_to(user)
    ).select_related("case", "case__subject", "case__owning_agency")


def minutes_visible_to(user) -> QuerySet[Minute]:
    """Restricted circulation: the attendees' agencies, and for a case's item, its readers."""
    return Minute.objects.filter(
        _about_visible_case(user), item__meeting__in=meetings_visible_to(user)
    )


def actions_visible_to(user) -> QuerySet[Action]:
    """Actions of the series the user's agency takes part in, or owned by it; an action on a
    case only for those who may see the case."""
    if not rules.can_see(user):
        return Action.objects.none()
    return Action.objects.filter(
        Q(owning_agency=user.agency_id) | Q(meeting__series__in=series_visible_to(user)),
        _about_visible_case(user),
    ).select_related("meeting", "meeting__series", "owner", "owning_agency", "case", "item")


def open_actions_before(user, meeting: Meeting) -> QuerySet[Action]:
    """The actions of the series' earlier meetings still open on the day of this one: an
    action done by then is no longer on the agenda."""
    return (
        actions_visible_to(user)
        .filter(meeting__series=meeting.series_id, meeting__held_on__lt=meeting.held_on)
        .filter(Q(done_on__isnull=True) | Q(done_on__gt=meeting.held_on))
        .order_by("due_on", "meeting__held_on", "created_at")
    )


def my_actions(user) -> QuerySet[Action]:
    """Open actions the user owns, or their agency owns with no one named."""
    return (
        actions_visible_to(user)
        .filter(done_on__isnull=True)
        .filter(Q(owner=user.pk) | Q(owner__isnull=True, owning_agency=user.agency_id))
        .order_by("due_on", "created_at")
    )


def previous_meeting(meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.filter(series=meeting.series_id, held_on__lt=meeting.held_on)
        .order_by("-held_on")
        .first()
    )


def flaggable_meetings(user, case) -> QuerySet[Meeting]:
    """Open meetings the case's agency attends or chairs, for the case's holder to flag it."""
    return (
        meetings_visible_to(user)
        .filter(status="open")
        .filter(
            Q(series__owning_agency=case.owning_agency_id)
            | Q(pk__in=_attended(case.owning_agency_id))
        )
        .order_by("held_on")
    )
