"""Every write of meetings: one function per use case, atomic, checked against its actor,
audited in the same transaction (ADR 0042).

Flagging a case for a meeting shares it with the attending agencies through the sharing
service (`sharing.services.disclose`), at the level the case's holder chooses; closing the
meeting's record ends those shares (`sharing.services.revoke`) unless the holder renewed them.
"""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from safehold import audit
from safehold.accounts.models import Agency, User
from safehold.audit.choices import Action as AuditAction
from safehold.cases.models import Case
from safehold.cases.selectors import cases_visible_to
from safehold.cases.services.cases import audit_change, record_event, require_may_change
from safehold.core.errors import Conflict, NotPermitted, ServiceError
from safehold.meetings import rules
from safehold.meetings.choices import MeetingStatus
from safehold.meetings.models import Action, AgendaItem, Meeting, MeetingSeries, Minute
from safehold.notifications.choices import NotificationKind
from safehold.notifications.services import notify
from safehold.sharing import services as sharing
from safehold.sharing.choices import DisclosureLevel
from safehold.sharing.middleware import unrestricted
from safehold.sharing.models import Disclosure

# The order of a share's levels: a meeting never narrows a share already made.
_BREADTH = {DisclosureLevel.NAME_ONLY: 1, DisclosureLevel.FULL: 2}


class MeetingError(ServiceError):
    """A meeting, item, minute or action that cannot be recorded as given (a 400)."""


class MeetingClosed(Conflict):
    def __init__(self, meeting: Meeting):
        super().__init__(f"The record of the meeting of {meeting.held_on:%-d %B %Y} is closed")


def _require_runs(by: User, series: MeetingSeries) -> None:
    if not rules.can_run(by, series):
        raise NotPermitted("Only the chairing agency runs this meeting")


def _require_open(meeting: Meeting) -> None:
    if meeting.status != MeetingStatus.OPEN:
        raise MeetingClosed(meeting)


def _audit(by, target, purpose: str, action=AuditAction.COLLECT, subjects=(), **extra) -> None:
    audit.record(
        action=action, actor=by, target=target, subjects=subjects, purpose=purpose, **extra
    )


@transaction.atomic
def create_series(*, name: str, agreement, by: User) -> MeetingSeries:
    """A standing meeting chaired by the user's agency, under an agreement it is a party to."""
    if not rules.can_take_part(by):
        raise NotPermitted("You cannot set up a meeting series")
    name = name.strip()
    if not name:
        raise MeetingError("Enter the name of the meeting series")
    if not agreement.parties.filter(pk=by.agency_id).exists():
        raise MeetingError(f"Your agency is not a party to “{agreement.title}”")
    if MeetingSeries.objects.filter(name=name).exists():
        raise MeetingError("There is already a meeting series with that name")
    series = MeetingSeries.objects.create(name=name, owning_agency=by.agency, agreement=agreement)
    _audit(by, series, "meeting series set up")
    return series


@transaction.atomic
def schedule_meeting(
    *,
    series: MeetingSeries,
    held_on: datetime.date,
    attending_agencies: list[Agency],
    attendees: list[User] = (),
    apologies: str = "",
    chair: User | None = None,
    by: User,
) -> Meeting:
    """A meeting of the series: the chairing agency always attends; every attending agency
    must be a party to the series' agreement (flagged cases are shared under it)."""
    _require_runs(by, series)
    chair = chair or by
    if chair.agency_id != series.owning_agency_id:
        raise MeetingError("The chair must be from the chairing agency")
    agencies = {a.pk: a for a in attending_agencies} | {
        series.owning_agency_id: series.owning_agency
    }
    parties = set(series.agreement.parties.values_list("pk", flat=True))
    outside = sorted(a.name for pk, a in agencies.items() if pk not in parties)
    if outside:
        raise MeetingError(
            f"{', '.join(outside)} must be a party to “{series.agreement.title}” to attend"
        )
    strangers = [u for u in attendees if u.agency_id not in agencies]
    if strangers:
        raise MeetingError("Every attendee must be from an attending agency")
    if Meeting.objects.filter(series=series, held_on=held_on).exists():
        raise MeetingError("The series already has a meeting on that day")
    meeting = Meeting.objects.create(
        series=series, held_on=held_on, chair=chair, apologies=apologies
    )
    meeting.attending_agencies.set(agencies.values())
    meeting.attendees.set(attendees)
    _audit(by, meeting, "meeting scheduled", recipient_agencies=list(agencies))
    return meeting


@transaction.atomic
def add_item(*, meeting: Meeting, title: str, by: User) -> AgendaItem:
    """A topic on the meeting's own agenda, added by the chairing agency."""
    _require_runs(by, meeting.series)
    _require_open(meeting)
    if not title.strip():
        raise MeetingError("Enter the title of the item")
    item = AgendaItem.objects.create(
        meeting=meeting, title=title.strip(), order=_next_order(meeting)
    )
    _audit(by, item, "agenda item added")
    return item


def _next_order(meeting: Meeting) -> int:
    last = meeting.items.order_by("-order").values_list("order", flat=True).first()
    return (last or 0) + 1


@transaction.atomic
def flag_case(
    *, meeting: Meeting, case: Case, level: str, by: User, keep_sharing: bool = False
) -> AgendaItem:
    """Put a case on the meeting's agenda: only its holding agency may. The case is shared with
    every attending agency under the series' agreement at the chosen level, through the sharing
    service; an agency already given more keeps what it has."""
    require_may_change(by, case)
    if not meeting.attending_agencies.filter(pk=case.owning_agency_id).exists():
        raise NotPermitted("Your agency does not attend this meeting")
    _require_open(meeting)
    if level not in DisclosureLevel.values:
        raise MeetingError("Choose what to share with the agencies at the meeting")
    if meeting.items.filter(case=case).exists():
        raise MeetingError(f"Case {case.reference} is already on this meeting's agenda")
    item = AgendaItem.objects.create(
        meeting=meeting, case=case, level=level, keep_sharing=keep_sharing, flagged_by=by,
        order=_next_order(meeting),
    )  # fmt: skip
    live = {d.to_agency_id: d for d in Disclosure.objects.live().filter(case=case)}
    made = []
    for agency in meeting.attending_agencies.exclude(pk=case.owning_agency_id).order_by("name"):
        already = live.get(agency.pk)
        if already is not None and _BREADTH[already.level] >= _BREADTH[level]:
            continue
        try:
            made.append(
                sharing.disclose(
                    agreement=meeting.series.agreement,
                    to_agency=agency,
                    level=level,
                    purpose=f"Discussed at the meeting “{meeting}”",
                    by=by,
                    case=case,
                )
            )
        except sharing.SharingError as error:
            raise MeetingError(str(error)) from error
    item.disclosures.set(made)
    audit_change(
        case, by, "flagged for a partnership meeting", action=AuditAction.COLLECT, target=item
    )
    return item


@transaction.atomic
def renew_sharing(*, item: AgendaItem, by: User) -> AgendaItem:
    """Keep the meeting's shares of a case after the meeting's record closes (its holder)."""
    if item.case is None:
        raise MeetingError("Only a flagged case is shared")
    require_may_change(by, item.case)
    item.keep_sharing = True
    item.save(update_fields=["keep_sharing", "modified_at"])
    audit_change(item.case, by, "meeting shares renewed", target=item)
    return item


@transaction.atomic
def record_minute(*, item: AgendaItem, text: str, by: User) -> Minute:
    """The minutes of an item (written again, they replace the earlier text)."""
    _require_runs(by, item.meeting.series)
    _require_open(item.meeting)
    if item.case_id and not cases_visible_to(by).filter(pk=item.case_id).exists():
        raise NotPermitted("You cannot minute a case you may not see")
    if not text.strip():
        raise MeetingError("Enter the minutes of the item")
    minute, created = Minute.objects.update_or_create(
        item=item, defaults={"text": text.strip(), "recorded_by": by, "case": item.case}
    )
    subjects = [item.case.subject_id] if item.case_id else []
    _audit(by, minute, "minutes recorded" if created else "minutes changed",
           action=AuditAction.COLLECT if created else AuditAction.ALTER, subjects=subjects)  # fmt: skip
    return minute


@transaction.atomic
def add_action(
    *,
    meeting: Meeting,
    description: str,
    due_on: datetime.date,
    owning_agency: Agency,
    owner: User | None = None,
    item: AgendaItem | None = None,
    by: User,
) -> Action:
    """An action agreed at the meeting, owned by a user or an agency that attends it."""
    _require_runs(by, meeting.series)
    _require_open(meeting)
    if not description.strip():
        raise MeetingError("Enter what is to be done")
    if not meeting.attending_agencies.filter(pk=owning_agency.pk).exists():
        raise MeetingError("The action's owner must be from an attending agency")
    if owner is not None and owner.agency_id != owning_agency.pk:
        raise MeetingError("The person who owns the action must be from its agency")
    if item is not None and item.meeting_id != meeting.pk:
        raise MeetingError("The item is not on this meeting's agenda")
    case = item.case if item is not None else None
    if case is not None and not cases_visible_to(by).filter(pk=case.pk).exists():
        raise NotPermitted("You cannot add an action on a case you may not see")
    action = Action.objects.create(
        meeting=meeting, item=item, case=case, description=description.strip(), owner=owner,
        owning_agency=owning_agency, due_on=due_on,
    )  # fmt: skip
    _audit(by, action, "meeting action agreed", subjects=[case.subject_id] if case else [],
           recipient_agencies=[owning_agency])  # fmt: skip
    if owner is not None and owner.pk != by.pk:
        # A reference and a link, never the action's words (they may name someone).
        notify(
            recipients=[owner],
            kind=NotificationKind.MEETING_ACTION,
            reference=f"{meeting.series.name}, {meeting.held_on:%-d %B %Y}: "
            f"an action due {due_on:%-d %B %Y}",
            link=reverse("meetings:my-actions"),
        )
    return action


@transaction.atomic
def complete_action(*, action: Action, by: User, done_on: datetime.date | None = None) -> Action:
    """Mark an action done: its owner, its agency's casework roles, or the chairing agency."""
    may = rules.can_take_part(by) and (
        action.owner_id == by.pk
        or action.owning_agency_id == by.agency_id
        or action.meeting.series.owning_agency_id == by.agency_id
    )
    if not may:
        raise NotPermitted("You cannot change this action")
    if action.done_on is not None:
        raise Conflict("The action is already done")
    action.done_on, action.done_by = done_on or timezone.localdate(), by
    action.save(update_fields=["done_on", "done_by", "modified_at"])
    _audit(by, action, "meeting action done", action=AuditAction.ALTER,
           subjects=[action.case.subject_id] if action.case_id else [])  # fmt: skip
    return action


@transaction.atomic
def close_meeting(*, meeting: Meeting, by: User) -> Meeting:
    """Close the meeting's record: each flagged case's chronology records that it was
    discussed there, with its actions, and the shares the meeting made end unless renewed."""
    _require_runs(by, meeting.series)
    _require_open(meeting)
    # Safehold itself writes the case events and ends the shares: the chair's agency may not
    # see every flagged case (one shared by name only; row-level security would hide its item),
    # and the holder chose this when flagging it.
    with unrestricted():
        items = list(
            meeting.items.filter(case__isnull=False)
            .select_related("case", "flagged_by")
            .prefetch_related("actions__owner", "actions__owning_agency", "disclosures")
        )
        for item in items:
            record_event(item.case, discussed_at(meeting, list(item.actions.all())), by)
            audit_change(item.case, by, "discussed at a partnership meeting", target=item)
            if item.keep_sharing:
                continue
            for disclosure in item.disclosures.all():
                if disclosure.revoked_at is None:
                    sharing.revoke(
                        disclosure=disclosure, by=item.flagged_by,
                        reason="The meeting's record was closed",
                    )  # fmt: skip
    meeting.status, meeting.closed_at = MeetingStatus.CLOSED, timezone.now()
    meeting.save(update_fields=["status", "closed_at", "modified_at"])
    _audit(by, meeting, "meeting record closed", action=AuditAction.ALTER)
    return meeting


def discussed_at(meeting: Meeting, actions: list[Action]) -> str:
    """The chronology's line: the meeting, and the actions agreed on the case."""
    text = f"Discussed at {meeting.series.name} on {meeting.held_on:%-d %B %Y}."
    if not actions:
        return text + " No actions agreed."
    agreed = "; ".join(
        f"{a.description} ({a.owner.full_name if a.owner_id else a.owning_agency.name}, "
        f"by {a.due_on:%-d %B %Y})"
        for a in actions
    )
    return f"{text} Actions: {agreed}."
