"""Statutory deadlines for enforcement (Anti-social Behaviour, Crime and Policing Act 2014).

A closure notice must be heard by a magistrates' court within 48 hours of being served; a
closure order lasts up to 3 months and can be extended, but not beyond 6 months in all.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from safehold.cases import selectors
from safehold.cases.choices import (
    CLOSURE_ORDERS,
    CaseStatus,
    EnforcementKind,
    EnforcementStatus,
    TaskStatus,
)
from safehold.cases.models import EnforcementAction
from safehold.notifications.deadlines import Deadline as CalendarDeadline

COURT_WITHIN = datetime.timedelta(hours=48)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it is shorter (31 Jan + 1 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Deadline:
    label: str
    due: datetime.date | datetime.datetime


def deadlines_for(action) -> list[Deadline]:
    """The deadlines an enforcement action carries, for the case page."""
    if action.kind == EnforcementKind.CLOSURE_NOTICE and action.served_at:
        return [Deadline("Court hearing due by", action.served_at + COURT_WITHIN)]
    if action.kind in CLOSURE_ORDERS:
        return [
            Deadline("Order ends (3 months)", action.ends_on or add_months(action.started_on, 3)),
            Deadline("Latest end with extension (6 months)", add_months(action.started_on, 6)),
        ]
    return []


# Enforcement that has stopped carries no deadline.
_STOPPED = {EnforcementStatus.REFUSED, EnforcementStatus.ENDED, EnforcementStatus.WITHDRAWN}
# The furthest back an action may start and still have a deadline ahead: an order's latest end.
_LOOK_BACK = datetime.timedelta(days=186)


def _day(due: datetime.date | datetime.datetime) -> datetime.date:
    return timezone.localdate(due) if isinstance(due, datetime.datetime) else due


def enforcement_deadlines(user, start: datetime.date, end: datetime.date) -> list[CalendarDeadline]:
    """Court hearings due and orders ending from `start` to `end` on the open cases the user
    may see (a source of the deadlines registry, and the home page's enforcement panel)."""
    actions = (
        EnforcementAction.objects.filter(
            case__in=selectors.cases_visible_to(user).filter(status=CaseStatus.OPEN),
            started_on__gte=start - _LOOK_BACK,
            started_on__lte=end,
        )
        .exclude(status__in=_STOPPED)
        .select_related("case")
        .order_by("started_on", "pk")
    )
    found = []
    for action in actions:
        dated = deadlines_for(action)
        if not dated and action.ends_on:
            dated = [Deadline(f"{action.get_kind_display()} ends", action.ends_on)]
        for i, deadline in enumerate(dated):
            day = _day(deadline.due)
            if start <= day <= end:
                found.append(
                    CalendarDeadline(
                        day=day,
                        what=f"{deadline.label} ({action.get_kind_display().lower()})",
                        reference=f"Case {action.case.reference}",
                        link=reverse("cases:detail", args=[action.case_id]),
                        uid=f"enforcement-{action.pk}-{i}",
                        mine=action.case.lead_officer_id == user.pk,
                        record=action.case,
                    )
                )
    return found


def task_deadlines(user, start: datetime.date, end: datetime.date) -> list[CalendarDeadline]:
    """Open tasks due from `start` to `end` on the cases the user may see (through the cases
    selectors, so a task the selectors do not count as open is not here either)."""
    tasks = (
        selectors.tasks_visible_to(user)
        .filter(status=TaskStatus.OPEN, due_on__gte=start, due_on__lte=end)
        .select_related("case")
        .order_by("due_on", "pk")
    )
    return [
        CalendarDeadline(
            day=task.due_on,
            what="Task due",
            reference=f"Case {task.case.reference}",
            link=reverse("cases:detail", args=[task.case_id]),
            uid=f"task-{task.pk}",
            mine=task.owner_id == user.pk,
            record=task.case,
        )
        for task in tasks
    ]
