"""The top areas (wards or LSOAs) by count or by rate."""

from collections.abc import Sequence
from dataclasses import dataclass

from safehold.crime.queries.filters import (
    AREA_KEYS,
    QueryError,
)
from safehold.crime.queries.summary import (
    counts,
)

# --- top areas -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaCount:
    rank: int
    code: str
    name: str | None
    count: int
    population: int | None
    rate_per_1000: float | None


def top_areas(
    con,
    *,
    level: str = "ward",
    start: str | None = None,
    end: str | None = None,
    crime_types: Sequence[str] = (),
    within: str | None = None,
    by: str = "count",
    limit: int = 10,
) -> list[AreaCount]:
    """The areas of one level (lsoa, ward, local_authority) with the most rows, or the highest
    rate per 1,000 residents (`by="rate"`; areas without a population are left out)."""
    if level not in AREA_KEYS:
        raise QueryError(f"level must be one of {', '.join(AREA_KEYS)}", "level")
    if by not in ("count", "rate"):
        raise QueryError("by must be count or rate", "by")
    if limit < 1:
        raise QueryError("limit must be 1 or more", "limit")
    table = counts(
        con,
        group_by=[level],
        start=start,
        end=end,
        crime_types=crime_types,
        area=within,
        rates=True,
    )
    rows = [r for r in table.rows if r[0] is not None]
    if by == "rate":
        rows = [r for r in rows if r[4] is not None]
        rows.sort(key=lambda r: (-r[4], -r[2], r[0]))
    else:
        rows.sort(key=lambda r: (-r[2], r[0]))
    return [
        AreaCount(rank=i, code=r[0], name=r[1], count=r[2], population=r[3], rate_per_1000=r[4])
        for i, r in enumerate(rows[:limit], start=1)
    ]
