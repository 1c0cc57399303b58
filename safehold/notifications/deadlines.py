"""The deadlines registry: each app that holds dated obligations (a task's due date, a court
hearing, an order's end, an agreement's review) registers a source in its `AppConfig.ready()`,
and the calendar page, the iCalendar feed and the daily "deadline tomorrow" notices read them
all without knowing the apps.

A source is a function `(user, start, end) -> list[Deadline]`: the deadlines from `start` to
`end` (inclusive) on records the user may see, found through the app's own read gate.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class Deadline:
    """One dated obligation, as much as a calendar or a notice may carry: what it is, the
    record's human reference and a link. Never a person's name or address (ADR 0039)."""

    day: datetime.date
    what: str  # "Task due", "Court hearing due by", "Order ends", "Agreement review"
    reference: str  # "Case EXP-2026-0004"
    link: str  # a path in the service
    uid: str  # stable across runs: "task-<pk>", the feed's UID and the notice's key
    mine: bool  # the user's own (their task, their case): "tomorrow" notices go for these
    record: models.Model | None = None  # what the reading page audits, never shown


Source = Callable[[object, datetime.date, datetime.date], list[Deadline]]
_sources: dict[str, Source] = {}


def register_deadline_source(name: str, source: Source) -> None:
    _sources[name] = source  # by name: registering twice (tests, reloads) is one


def deadlines_for(user, start: datetime.date, end: datetime.date) -> list[Deadline]:
    """Every registered source's deadlines for the user, by day then reference."""
    found = [d for source in _sources.values() for d in source(user, start, end)]
    return sorted(found, key=lambda d: (d.day, d.reference, d.what, d.uid))
