"""Statutory deadlines for enforcement (Anti-social Behaviour, Crime and Policing Act 2014).

A closure notice must be heard by a magistrates' court within 48 hours of being served; a
closure order lasts up to 3 months and can be extended, but not beyond 6 months in all.
"""

import calendar
import datetime
from dataclasses import dataclass

from safehold.cases.choices import CLOSURE_ORDERS, EnforcementKind

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
