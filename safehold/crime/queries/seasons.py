"""The seasonal profile: crimes by month of the year, with the occasions partners plan for."""

from collections.abc import Sequence
from dataclasses import dataclass

from safehold.crime.queries.filters import (
    MONTH_NAMES,
    OCCASIONS,
    _period,
    find_area,
    month_range,
)
from safehold.crime.queries.summary import (
    _loaded_months,
    _monthly,
)

# --- seasonal profile ----------------------------------------------------------------------


@dataclass(frozen=True)
class SeasonalMonth:
    """A month of the year over the period: its total, how many of it were loaded, the
    average, and that average against the mean of all months (1.0 = an ordinary month)."""

    month_of_year: int
    name: str
    occasion: str  # Summer, Halloween, Bonfire Night, or ""
    count: int
    years: int
    average: float | None
    index: float | None


def seasonal(
    con,
    *,
    start: str | None = None,
    end: str | None = None,
    crime_types: Sequence[str] = (),
    area: str | None = None,
) -> list[SeasonalMonth]:
    """The seasonal profile by month of year, with summer, Halloween and Bonfire Night named."""
    found = find_area(con, area) if area else None
    loaded = _loaded_months(con, found)
    period = _period(loaded, start, end)
    months = [m for m in month_range(*period) if m in loaded] if period else []
    monthly = (
        _monthly(con, start=period[0], end=period[1], crime_types=crime_types, area=area)
        if months
        else {}
    )
    totals, years = [0] * 13, [0] * 13
    for month in months:
        totals[int(month[5:])] += monthly.get(month, 0)
        years[int(month[5:])] += 1
    averages = {m: totals[m] / years[m] for m in range(1, 13) if years[m]}
    mean = sum(averages.values()) / len(averages) if averages else None
    return [
        SeasonalMonth(
            month_of_year=m,
            name=MONTH_NAMES[m - 1],
            occasion=OCCASIONS.get(m, ""),
            count=totals[m],
            years=years[m],
            average=averages.get(m),
            index=averages[m] / mean if m in averages and mean else None,
        )
        for m in range(1, 13)
    ]
