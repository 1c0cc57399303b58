"""Repeat locations: the places (police.uk map points) with at least N crimes, and how
concentrated crime is among them."""

# ruff: noqa: S608 -- SQL is built from fixed fragments; every value is validated and quoted.

from collections.abc import Sequence
from dataclasses import dataclass

from safehold.analytics.store import run
from safehold.crime.queries.filters import (
    QueryError,
    _filters,
    _from,
)

# --- repeat locations ----------------------------------------------------------------------


@dataclass(frozen=True)
class RepeatLocation:
    """A place (police.uk's anonymised point and its description) with repeated rows."""

    location: str | None
    longitude: float
    latitude: float
    lsoa: str | None
    count: int
    months: int
    first_month: str
    last_month: str


def _location_counts(con, *, start, end, crime_types, area) -> str:
    f, _ = _filters(con, start=start, end=end, crime_types=crime_types, area_code=area)
    return f"""SELECT s.location, s.longitude, s.latitude,
            any_value(coalesce(m.lsoa21_code, s.lsoa_code, s.placed_lsoa_code)) AS lsoa,
            count(*) AS count, count(DISTINCT s.month) AS months,
            min(s.month) AS first_month, max(s.month) AS last_month
        FROM {_from(f.needs_lsoa21)}
        WHERE {f.where} AND s.longitude IS NOT NULL AND s.latitude IS NOT NULL
        GROUP BY s.location, s.longitude, s.latitude"""


def repeat_locations(
    con,
    *,
    start: str | None = None,
    end: str | None = None,
    crime_types: Sequence[str] = (),
    area: str | None = None,
    min_count: int = 2,
    limit: int = 50,
) -> list[RepeatLocation]:
    """Places with at least `min_count` rows (the same Location and coordinates), most first."""
    if min_count < 1 or limit < 1:
        raise QueryError("min_count and limit must be 1 or more", "min_count")
    rows = run(
        con,
        f"""SELECT * FROM ({
            _location_counts(con, start=start, end=end, crime_types=crime_types, area=area)
        })
        WHERE count >= {int(min_count)}
        ORDER BY count DESC, location NULLS LAST, longitude, latitude LIMIT {int(limit)}""",
    )
    return [RepeatLocation(*r) for r in rows]


@dataclass(frozen=True)
class RepeatProfile:
    """How concentrated rows are: places, rows, places with 2 or more and with more than 6."""

    locations: int
    incidents: int
    repeat_locations: int
    incidents_at_repeat_locations: int
    share_at_repeat_locations: float | None  # 0..1
    locations_over_six: int


def repeat_profile(
    con,
    *,
    start: str | None = None,
    end: str | None = None,
    crime_types: Sequence[str] = (),
    area: str | None = None,
) -> RepeatProfile:
    row = run(
        con,
        f"""SELECT count(*), coalesce(sum(count), 0), count(*) FILTER (WHERE count >= 2),
            coalesce(sum(count) FILTER (WHERE count >= 2), 0), count(*) FILTER (WHERE count > 6)
        FROM ({_location_counts(con, start=start, end=end, crime_types=crime_types, area=area)})""",
    )[0]
    locations, incidents, repeats, at_repeats, over_six = (int(v) for v in row)
    return RepeatProfile(
        locations=locations,
        incidents=incidents,
        repeat_locations=repeats,
        incidents_at_repeat_locations=at_repeats,
        share_at_repeat_locations=at_repeats / incidents if incidents else None,
        locations_over_six=over_six,
    )
