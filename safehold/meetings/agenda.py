"""The agenda of a meeting, built from Safehold out of registered sections.

A section is a function `(meeting, user) -> list[Line]`: the lines it puts on the agenda for
that user, read through the user's own gates (so a pack for one agency holds only what that
agency may see), in a fixed number of queries whatever the number of rows. Apps register
sections in their `AppConfig.ready()` with `register_agenda_section(name, order, provider,
title=...)`; this app registers the ones it can build from casework (below, in `apps.py`), and a
module beside it (operations since the last meeting) registers its own at merge.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Model
from django.urls import reverse

from safehold.cases.choices import RiskLevel
from safehold.cases.deadlines import enforcement_deadlines
from safehold.cases.selectors import cases_visible_to
from safehold.meetings import selectors
from safehold.meetings.models import Meeting

DEADLINES_AHEAD = datetime.timedelta(days=30)
# Without an earlier meeting, "since the last meeting" is the month before this one.
FIRST_MEETING_LOOKS_BACK = datetime.timedelta(days=31)


@dataclass(frozen=True)
class Line:
    """One line of an agenda section: what it says, the record's reference and page, a date,
    and the records and people it shows (for the audit event, never printed)."""

    text: str
    reference: str = ""
    link: str = ""
    day: datetime.date | None = None
    detail: str = ""
    records: tuple[Model, ...] = ()
    subjects: tuple = ()


@dataclass(frozen=True)
class Section:
    name: str
    title: str
    order: int
    provider: Callable[[Meeting, object], list[Line]]
    empty: str = "Nothing this month."


@dataclass(frozen=True)
class BuiltSection:
    name: str
    title: str
    lines: list[Line]
    empty: str


@dataclass
class Agenda:
    meeting: Meeting
    sections: list[BuiltSection] = field(default_factory=list)

    def lines(self) -> list[Line]:
        return [line for section in self.sections for line in section.lines]

    def records(self) -> list[Model]:
        return [record for line in self.lines() for record in line.records]

    def subjects(self) -> list:
        return [subject for line in self.lines() for subject in line.subjects]


_sections: dict[str, Section] = {}


def register_agenda_section(
    name: str,
    order: int,
    provider: Callable[[Meeting, object], list[Line]],
    *,
    title: str = "",
    empty: str = "Nothing this month.",
) -> None:
    """Add a section to every agenda (by name: registering twice is once)."""
    _sections[name] = Section(name, title or name, order, provider, empty)


def agenda_for(meeting: Meeting, user) -> Agenda:
    """The meeting's agenda as the user may see it, its sections in their order."""
    agenda = Agenda(meeting)
    for section in sorted(_sections.values(), key=lambda s: (s.order, s.name)):
        agenda.sections.append(
            BuiltSection(
                section.name, section.title, section.provider(meeting, user), section.empty
            )
        )
    return agenda


def since(meeting: Meeting) -> datetime.date:
    """The day after the series' previous meeting (the window of "since the last meeting")."""
    previous = selectors.previous_meeting(meeting)
    if previous is None:
        return meeting.held_on - FIRST_MEETING_LOOKS_BACK
    return previous.held_on + datetime.timedelta(days=1)


# The sections this app builds from casework.


def flagged_cases(meeting: Meeting, user) -> list[Line]:
    items = (
        selectors.items_visible_to(user)
        .filter(meeting=meeting, case__isnull=False)
        .order_by("order", "created_at")
    )
    return [
        Line(
            text=f"{item.case.subject.full_name}",
            reference=f"Case {item.case.reference}",
            link=reverse("cases:detail", args=[item.case_id]),
            detail=f"Held by {item.case.owning_agency.name}; shared for the meeting: "
            f"{item.get_level_display().lower()}",
            records=(item.case,),
            subjects=(item.case.subject_id,),
        )
        for item in items
    ]


def new_high_risk_referrals(meeting: Meeting, user) -> list[Line]:
    cases = (
        cases_visible_to(user)
        .filter(
            risk_level=RiskLevel.HIGH,
            referral_date__gte=since(meeting),
            referral_date__lte=meeting.held_on,
        )
        .select_related("subject", "owning_agency")
        .order_by("referral_date", "reference")
    )
    return [
        Line(
            text=case.subject.full_name,
            reference=f"Case {case.reference}",
            link=reverse("cases:detail", args=[case.pk]),
            day=case.referral_date,
            detail=f"{case.get_exploitation_type_display()}; held by {case.owning_agency.name}",
            records=(case,),
            subjects=(case.subject_id,),
        )
        for case in cases
    ]


def enforcement_deadlines_ahead(meeting: Meeting, user) -> list[Line]:
    found = enforcement_deadlines(user, meeting.held_on, meeting.held_on + DEADLINES_AHEAD)
    return [
        Line(
            text=deadline.what[:1].upper() + deadline.what[1:],
            reference=deadline.reference,
            link=deadline.link,
            day=deadline.day,
            records=(deadline.record,) if deadline.record is not None else (),
            subjects=(deadline.record.subject_id,) if deadline.record is not None else (),
        )
        for deadline in found
    ]


def open_actions(meeting: Meeting, user) -> list[Line]:
    return [
        Line(
            text=action.description,
            reference=f"Case {action.case.reference}" if action.case_id else "",
            link=reverse("meetings:actions", args=[action.meeting_id]),
            day=action.due_on,
            detail=f"{owner_of(action)}; from the meeting of {action.meeting.held_on:%-d %B %Y}",
            records=(action,),
            subjects=(action.case.subject_id,) if action.case_id else (),
        )
        for action in selectors.open_actions_before(user, meeting)
    ]


def owner_of(action) -> str:
    if action.owner_id:
        return f"{action.owner.full_name or action.owner.email} ({action.owning_agency.name})"
    return action.owning_agency.name


def register_casework_sections() -> None:
    register_agenda_section(
        "flagged", 10, flagged_cases, title="Cases flagged for this meeting",
        empty="No case has been flagged for this meeting that you may see.",
    )  # fmt: skip
    register_agenda_section(
        "high_risk", 20, new_high_risk_referrals,
        title="New high-risk referrals since the last meeting",
        empty="No new high-risk referrals that you may see.",
    )  # fmt: skip
    register_agenda_section(
        "enforcement", 40, enforcement_deadlines_ahead,
        title="Enforcement deadlines in the next 30 days",
        empty="No enforcement deadlines in the next 30 days that you may see.",
    )  # fmt: skip
    register_agenda_section(
        "actions", 50, open_actions, title="Open actions from earlier meetings",
        empty="No open actions from earlier meetings.",
    )  # fmt: skip
