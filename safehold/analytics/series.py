"""Monthly series for an area, registered by the analytics apps that hold one (ADR 45).

A page about an area (the crime app's "Did it work?") shows, beside its own counts, every
series another app registers here, for the users that app lets see it: so the partner incident
logs appear on a police.uk page without `crime` importing `incidents` (siblings, .importlinter).
An app registers an `AreaSeries` in its AppConfig.ready(); a page reads `area_series_for(user)`.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Monthly:
    """An area's counts by month ("YYYY-MM"; a month covered with no count is 0) and the months
    the data covers (a month not covered is unknown, not zero)."""

    counts: dict[str, int]
    covered: frozenset[str]


@dataclass(frozen=True)
class AreaSeries:
    """A monthly series any area page may show. `monthly(lsoas=…, first=…, last=…)` counts what
    lies in the given 2021 LSOAs from month `first` to month `last` (inclusive); `may_view(user)`
    says who may see it; `about` says in plain words what is counted."""

    key: str
    label: str
    about: str
    may_view: Callable[[object], bool]
    monthly: Callable[..., Monthly]


_SERIES: dict[str, AreaSeries] = {}


def register_area_series(series: AreaSeries) -> None:
    """Register (or replace, by key) a series: called from an AppConfig.ready()."""
    _SERIES[series.key] = series


def area_series_for(user) -> list[AreaSeries]:
    """The registered series this user may see, in the order of their keys."""
    return [s for key, s in sorted(_SERIES.items()) if s.may_view(user)]


def months_between(first: str, last: str) -> list[str]:
    """Every month from `first` to `last` inclusive ("YYYY-MM")."""
    year, month = int(first[:4]), int(first[5:7])
    out: list[str] = []
    while (current := f"{year:04d}-{month:02d}") <= last:
        out.append(current)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


__all__ = [
    "AreaSeries",
    "Monthly",
    "area_series_for",
    "months_between",
    "register_area_series",
]
