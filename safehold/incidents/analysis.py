"""Peak times, seasons and hot spots of partner incidents: plain functions over DuckDB.

Every function takes a connection with the `incidents` view (`store.connect()`) and the same
filters: `date_from`/`date_to` (UK local dates, inclusive), `types` and `sources` (names,
matched ignoring case; empty means all). Times are counted in UK local time (Europe/London),
so an incident at 20:30 UTC on a summer evening is 21:30.
"""

import calendar
import datetime
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import numpy as np

from safehold.hotspots.gistar import HotspotAnalysis, analyse_grid
from safehold.hotspots.grid import DEFAULT_CELL_SIZE, Bounds, points_to_grid
from safehold.incidents.store import UK_TIME_ZONE

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = tuple(calendar.month_name[1:])
SUMMER_MONTHS = (6, 7, 8)
# The dates the partnership's strategic assessment names as peaks (MISSION.md §3).
CALL_OUTS = (("Halloween", 10, 31), ("Bonfire Night", 11, 5))
# The days shown around them: 28 October to 8 November (both call-outs fall inside).
AROUND = ((10, 28), (11, 8))
assert all(AROUND[0] <= (m, d) <= AROUND[1] for _, m, d in CALL_OUTS)


@dataclass(frozen=True)
class Filters:
    """The filters an analysis used (for titles, files and audit)."""

    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    types: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "types": list(self.types),
            "sources": list(self.sources),
        }


def _filters(date_from, date_to, types, sources) -> Filters:
    if date_from and date_to and date_to < date_from:
        raise ValueError("the end of the period must be the same as or after its start")
    return Filters(date_from, date_to, tuple(types or ()), tuple(sources or ()))


_LOCAL = f"timezone('{UK_TIME_ZONE}', occurred_at)"


def _where(f: Filters) -> tuple[str, list]:
    conditions, params = ["TRUE"], []
    if f.date_from:
        conditions.append(f"CAST({_LOCAL} AS DATE) >= ?")
        params.append(f.date_from)
    if f.date_to:
        conditions.append(f"CAST({_LOCAL} AS DATE) <= ?")
        params.append(f.date_to)
    if f.types:
        conditions.append("list_contains(?::VARCHAR[], lower(type))")
        params.append([t.lower() for t in f.types])
    if f.sources:
        conditions.append("list_contains(?::VARCHAR[], lower(source))")
        params.append([s.lower() for s in f.sources])
    return " AND ".join(conditions), params


def _select(con: duckdb.DuckDBPyConnection, f: Filters, columns: str, tail: str = "") -> list:
    where, params = _where(f)
    sql = (
        f"SELECT {columns} FROM (SELECT *, {_LOCAL} AS local_time FROM incidents "  # noqa: S608 -- fixed SQL, values are parameters
        f"WHERE {where}) {tail}"
    )
    return con.execute(sql, params).fetchall()


# --- Hour of day x day of week -----------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """One hour of one weekday and its count."""

    day: str
    hour: int
    incidents: int


@dataclass(frozen=True)
class HeatMap:
    """Incidents by day of week (rows, Monday first) and hour of day (columns, 0-23), UK time.

    `peak_days` and `peak_hours` are every day/hour with the highest total (ties kept, none when
    there are no incidents); `peak_slots` the busiest day-and-hour cells, at most ten.
    """

    filters: Filters
    counts: tuple[tuple[int, ...], ...]
    day_totals: tuple[int, ...]
    hour_totals: tuple[int, ...]
    total: int
    peak_days: tuple[str, ...]
    peak_hours: tuple[int, ...]
    peak_slots: tuple[Slot, ...]
    days: tuple[str, ...] = DAYS
    hours: tuple[int, ...] = tuple(range(24))


def _peaks(totals: np.ndarray, labels: Sequence) -> tuple:
    if not totals.any():
        return ()
    return tuple(labels[i] for i in np.flatnonzero(totals == totals.max()))


def heatmap(
    con: duckdb.DuckDBPyConnection,
    *,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    types: Sequence[str] = (),
    sources: Sequence[str] = (),
) -> HeatMap:
    """The 7 x 24 hour-of-day by day-of-week counts in UK local time, and the peaks."""
    f = _filters(date_from, date_to, types, sources)
    grid = np.zeros((7, 24), dtype=np.int64)
    for dow, hour, n in _select(
        con, f, "isodow(local_time), hour(local_time), count(*)", "GROUP BY ALL"
    ):
        grid[dow - 1, hour] = n
    days, hours = grid.sum(axis=1), grid.sum(axis=0)
    flat = [(int(grid[d, h]), d, h) for d in range(7) for h in range(24) if grid[d, h]]
    flat.sort(key=lambda x: (-x[0], x[1], x[2]))
    return HeatMap(
        filters=f,
        counts=tuple(tuple(int(v) for v in row) for row in grid),
        day_totals=tuple(int(v) for v in days),
        hour_totals=tuple(int(v) for v in hours),
        total=int(grid.sum()),
        peak_days=_peaks(days, DAYS),
        peak_hours=tuple(int(h) for h in _peaks(hours, range(24))),
        peak_slots=tuple(Slot(DAYS[d], h, n) for n, d, h in flat[:10]),
    )


# --- Seasons -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthRow:
    """One month of the year, summed over every year of the period."""

    month: int
    name: str
    incidents: int
    days: int  # days of this month inside the period
    per_day: float | None


@dataclass(frozen=True)
class DayRow:
    """One date of the year (summed over the years of the period) against its month.

    `occurrences` is how many times the date falls in the period; `ratio` is its average
    against the average day of its month (2.0: twice as busy), None when either is undefined.
    """

    month: int
    day: int
    label: str
    incidents: int
    occurrences: int
    per_day: float | None
    month_per_day: float | None
    ratio: float | None


@dataclass(frozen=True)
class Summer:
    """June to August against the rest of the year, per day."""

    incidents: int
    days: int
    per_day: float | None
    rest_incidents: int
    rest_days: int
    rest_per_day: float | None
    ratio: float | None


@dataclass(frozen=True)
class Seasonal:
    """Incidents by month of year, summer, and the days around Halloween and Bonfire Night.

    `period_from`/`period_to` is the span the day counts cover: the filters' dates, or else the
    first and last incident's dates; None when there are no incidents and no dates.
    """

    filters: Filters
    period_from: datetime.date | None
    period_to: datetime.date | None
    total: int
    months: tuple[MonthRow, ...]
    peak_months: tuple[str, ...]
    summer: Summer
    call_outs: tuple[DayRow, ...]
    around: tuple[DayRow, ...]


def _month_days(start: datetime.date, end: datetime.date) -> dict[int, int]:
    """How many days of each month of the year lie in [start, end]."""
    days = dict.fromkeys(range(1, 13), 0)
    for year in range(start.year, end.year + 1):
        for month in range(1, 13):
            first = datetime.date(year, month, 1)
            last = datetime.date(year, month, calendar.monthrange(year, month)[1])
            low, high = max(first, start), min(last, end)
            if low <= high:
                days[month] += (high - low).days + 1
    return days


def _occurrences(month: int, day: int, start: datetime.date, end: datetime.date) -> int:
    count = 0
    for year in range(start.year, end.year + 1):
        try:
            date = datetime.date(year, month, day)
        except ValueError:  # 29 February of a common year
            continue
        count += start <= date <= end
    return count


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else a / b


def _per(n: int, days: int) -> float | None:
    return n / days if days else None


def seasonal(
    con: duckdb.DuckDBPyConnection,
    *,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    types: Sequence[str] = (),
    sources: Sequence[str] = (),
) -> Seasonal:
    """The seasonal profile: months of the year, summer, Halloween and Bonfire Night."""
    f = _filters(date_from, date_to, types, sources)
    (first, last, total), *_ = _select(
        con, f, "min(CAST(local_time AS DATE)), max(CAST(local_time AS DATE)), count(*)"
    )
    start, end = f.date_from or first, f.date_to or last
    if start is None or end is None:  # no incidents and an open-ended period
        start = end = None
    by_month = dict.fromkeys(range(1, 13), 0)
    for month, n in _select(con, f, "month(local_time), count(*)", "GROUP BY ALL"):
        by_month[month] = n
    (low_month, low_day), (high_month, high_day) = AROUND
    by_day = {
        (m, d): n
        for m, d, n in _select(
            con,
            f,
            "month(local_time), day(local_time), count(*)",
            f"WHERE (month(local_time) = {low_month} AND day(local_time) >= {low_day}) "
            f"OR (month(local_time) = {high_month} AND day(local_time) <= {high_day}) "
            "GROUP BY ALL",
        )
    }
    month_days = _month_days(start, end) if start else dict.fromkeys(range(1, 13), 0)
    months = tuple(
        MonthRow(m, MONTHS[m - 1], by_month[m], month_days[m], _per(by_month[m], month_days[m]))
        for m in range(1, 13)
    )

    def day_row(month: int, day: int, label: str) -> DayRow:
        n = by_day.get((month, day), 0)
        times = _occurrences(month, day, start, end) if start else 0
        month_avg = months[month - 1].per_day
        per_day = _per(n, times)
        return DayRow(month, day, label, n, times, per_day, month_avg, _ratio(per_day, month_avg))

    summer_n = sum(by_month[m] for m in SUMMER_MONTHS)
    summer_days = sum(month_days[m] for m in SUMMER_MONTHS)
    rest_n, rest_days = total - summer_n, sum(month_days.values()) - summer_days
    around = [(low_month, d) for d in range(low_day, 32)] + [
        (high_month, d) for d in range(1, high_day + 1)
    ]
    return Seasonal(
        filters=f,
        period_from=start,
        period_to=end,
        total=int(total),
        months=months,
        peak_months=_peaks(np.array([by_month[m] for m in range(1, 13)]), MONTHS),
        summer=Summer(
            incidents=summer_n,
            days=summer_days,
            per_day=_per(summer_n, summer_days),
            rest_incidents=rest_n,
            rest_days=rest_days,
            rest_per_day=_per(rest_n, rest_days),
            ratio=_ratio(_per(summer_n, summer_days), _per(rest_n, rest_days)),
        ),
        call_outs=tuple(day_row(m, d, label) for label, m, d in CALL_OUTS),
        around=tuple(day_row(m, d, f"{d} {MONTHS[m - 1]}") for m, d in around),
    )


# --- Hot spots -------------------------------------------------------------------------------


def hotspots(
    con: duckdb.DuckDBPyConnection,
    *,
    cell_size: float = DEFAULT_CELL_SIZE,
    radius: int = 1,
    bounds: Bounds | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    types: Sequence[str] = (),
    sources: Sequence[str] = (),
) -> HotspotAnalysis | None:
    """Gi* hot spots of the incidents on a BNG grid (safehold.hotspots.gistar).

    The grid covers `bounds` (BNG metres; the study area), or the incidents' own extent.
    None when there are no incidents and no bounds to make an empty grid of.
    """
    f = _filters(date_from, date_to, types, sources)
    points = _select(con, f, "easting, northing")
    if not points and bounds is None:
        return None
    e = np.array([p[0] for p in points], dtype=float)
    n = np.array([p[1] for p in points], dtype=float)
    grid = points_to_grid(e, n, crs="bng", cell_size=cell_size, bounds=bounds)
    return analyse_grid(grid, radius=radius)


def locations(
    con: duckdb.DuckDBPyConnection,
    *,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    types: Sequence[str] = (),
    sources: Sequence[str] = (),
) -> tuple[np.ndarray, np.ndarray]:
    """The WGS84 longitude and latitude of every incident the filters select (for counting
    them by area)."""
    f = _filters(date_from, date_to, types, sources)
    points = _select(con, f, "longitude, latitude")
    return (
        np.array([p[0] for p in points], dtype=float),
        np.array([p[1] for p in points], dtype=float),
    )


# --- What there is ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceSummary:
    """One source's dataset: how many incidents, their first and last times, and their types."""

    source: str
    incidents: int
    first: datetime.datetime
    last: datetime.datetime
    types: tuple[tuple[str, int], ...]  # (type, incidents), commonest first


def summary(con: duckdb.DuckDBPyConnection) -> list[SourceSummary]:
    """Every source with incidents, in name order (for filters and the command line)."""
    types: dict[str, list[tuple[str, int]]] = {}
    for source, kind, n in con.execute(
        "SELECT source, type, count(*) AS n FROM incidents GROUP BY ALL ORDER BY source, n DESC, type"
    ).fetchall():
        types.setdefault(source, []).append((kind, n))
    return [
        SourceSummary(source, n, first, last, tuple(types[source]))
        for source, n, first, last in con.execute(
            "SELECT source, count(*), min(occurred_at), max(occurred_at) FROM incidents "
            "GROUP BY source ORDER BY source"
        ).fetchall()
    ]
