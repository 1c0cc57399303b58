"""The monthly trend: each month against the same month a year before, and rolling
12-month totals."""

from collections.abc import Sequence
from dataclasses import dataclass

from safehold.crime.queries.filters import (
    _period,
    find_area,
    month_range,
    shift_month,
)
from safehold.crime.queries.summary import (
    _loaded_months,
    _monthly,
)

# --- trends --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    """One month of a trend. Counts are None for months with no data loaded."""

    month: str
    count: int | None
    previous_year: int | None  # the same month a year before
    change: int | None
    change_percent: float | None
    rolling_12: int | None  # the 12 months to this one, when all 12 are loaded
    rolling_12_previous: int | None  # the 12 months to the same month a year before
    rolling_change_percent: float | None


def _percent(now: int | None, before: int | None) -> float | None:
    if now is None or not before:
        return None
    return (now - before) * 100 / before


def trend(
    con,
    *,
    start: str | None = None,
    end: str | None = None,
    crime_types: Sequence[str] = (),
    area: str | None = None,
) -> list[TrendPoint]:
    """Monthly counts with the change on a year before and rolling 12-month totals."""
    found = find_area(con, area) if area else None
    loaded = _loaded_months(con, found)
    period = _period(loaded, start, end)
    if period is None:
        return []
    first, last = period
    monthly = _monthly(
        con, start=shift_month(first, -23), end=last, crime_types=crime_types, area=area
    )

    def value(month: str) -> int | None:
        return monthly.get(month, 0) if month in loaded else None

    def rolling(month: str) -> int | None:
        window = [value(shift_month(month, -i)) for i in range(12)]
        return None if None in window else sum(window)

    points = []
    for month in month_range(first, last):
        now, before = value(month), value(shift_month(month, -12))
        roll, roll_before = rolling(month), rolling(shift_month(month, -12))
        points.append(
            TrendPoint(
                month=month,
                count=now,
                previous_year=before,
                change=None if now is None or before is None else now - before,
                change_percent=_percent(now, before),
                rolling_12=roll,
                rolling_12_previous=roll_before,
                rolling_change_percent=_percent(roll, roll_before),
            )
        )
    return points
