"""The partner incident logs as a monthly series for an area (2021 LSOAs), registered with the
analytics apps' area series (safehold/analytics/series.py) so the crime app's "Did it work?"
page shows it beside police.uk's counts (ADR 45). Each incident is placed in the Greater
Manchester LSOA 2021 its point lies in (its coordinates, or its postcode's point, as stored)
with the geography's placement; months are UK calendar months. Aggregates only: counts."""

# ruff: noqa: S608 -- SQL is built from fixed fragments; the months are parameters.

from collections.abc import Sequence

from safehold.analytics.series import Monthly, months_between
from safehold.geography.postcodes import lsoa_codes_at
from safehold.incidents.store import UK_TIME_ZONE, connect

LABEL = "Partner incident logs"
ABOUT = (
    "Incidents in the partners' incident logs (all sources) whose point lies in the area's "
    "LSOAs, by the UK month they happened. A month is covered when it lies between the first "
    "and last incident of at least one source."
)
_MONTH = f"strftime(timezone('{UK_TIME_ZONE}', occurred_at), '%Y-%m')"


def monthly_in_lsoas(*, lsoas: Sequence[str], first: str, last: str) -> Monthly:
    """The incidents in `lsoas` month by month from `first` to `last`: one grouped read of the
    points (each distinct point placed once), and the months each source spans."""
    wanted = set(lsoas)
    with connect() as con:
        points = con.execute(
            f"""SELECT month, longitude, latitude, count(*) FROM (
                SELECT {_MONTH} AS month, longitude, latitude FROM incidents
                WHERE longitude IS NOT NULL AND latitude IS NOT NULL
            ) WHERE month BETWEEN ? AND ? GROUP BY 1, 2, 3""",
            [first, last],
        ).fetchall()
        spans = con.execute(
            f"SELECT min({_MONTH}), max({_MONTH}) FROM incidents GROUP BY source"
        ).fetchall()
    codes = lsoa_codes_at([p[1] for p in points], [p[2] for p in points]) if points else []
    counts: dict[str, int] = {}
    for (month, _, _, n), code in zip(points, codes, strict=True):
        if code in wanted:
            counts[month] = counts.get(month, 0) + int(n)
    window = months_between(first, last)
    covered = frozenset(
        m for start, end in spans if start is not None for m in window if start <= m <= end
    )
    return Monthly(counts={m: counts.get(m, 0) for m in covered}, covered=covered)
