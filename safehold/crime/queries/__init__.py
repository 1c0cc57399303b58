"""Crime and ASB analyses over the analytics store: plain functions of a DuckDB connection
(`connect()`) and plain arguments, returning rows and dataclasses. No ORM, no requests.

Every analysis counts street-level rows (crimes and anti-social behaviour) and takes the same
filters: a period of months `start`..`end` (YYYY-MM, inclusive; either may be left open), crime
types, and an area code (an LSOA 2011 or 2021, a ward, a local authority, E47000001 Greater
Manchester, E92000001 England, W92000004 Wales, K04000001 England and Wales, or a police force
slug such as `greater-manchester`). Areas are those of the 2021 LSOA a row's LSOA code maps
to (or, with no LSOA, the one its coordinates fell in); rates are per 1,000 residents of the
area at the 2021 Census. docs/formats/crime-summary.md describes the outputs.
"""

# ruff: noqa: S608 -- SQL is built from fixed fragments; every value is validated and quoted.

import functools
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from safehold.crime.connection import connect as _connect
from safehold.crime.forces import FORCES, SLUG_RE
from safehold.crime.geography import ENGLAND_CODE, EW_CODE, GM_CODE, GM_LADS, WALES_CODE
from safehold.crime.store import partitions, run, sql_string, store_root

__all__ = [
    "AREA_KEYS",
    "GROUP_KEYS",
    "OCCASIONS",
    "Area",
    "AreaCount",
    "AreaRate",
    "Coverage",
    "QueryError",
    "RepeatLocation",
    "RepeatProfile",
    "SeasonalMonth",
    "StreetPoints",
    "Table",
    "TrendPoint",
    "compare",
    "connect",
    "counts",
    "coverage",
    "find_area",
    "repeat_locations",
    "repeat_profile",
    "seasonal",
    "street_points",
    "top_areas",
    "trend",
]

GROUP_KEYS = ("month", "crime_type", "outcome", "lsoa", "ward", "local_authority", "force")
AREA_KEYS = ("lsoa", "ward", "local_authority")  # finest first
# A local authority counts as loaded for a comparison when its rows per resident come to at least
# this share of the median local authority's (among those with any rows): a force's own area
# is dense with its rows, while a neighbouring force's rows that fall just over its boundary,
# when that authority's own force is not loaded, come to a small fraction of it.
COVERAGE_SHARE_OF_MEDIAN = 0.1
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
OCCASIONS = {6: "Summer", 7: "Summer", 8: "Summer", 10: "Halloween", 11: "Bonfire Night"}
MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
CODE_RE = re.compile(r"^[EWKN]\d{8}$")


class QueryError(ValueError):
    """Arguments an analysis cannot use (an unknown area, a month not in YYYY-MM, …); `field`
    names the argument, for the API's field errors."""

    def __init__(self, message: str, field: str = "non_field_errors"):
        super().__init__(message)
        self.field = field


def connect(root: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection over the store, with the views and tables analyses use; also a
    table `partitions(kind, force, month)` of what is loaded."""
    root = root or store_root()
    con = _connect(root)
    rows = [
        f"({sql_string(p.kind)}, {sql_string(p.force)}, {sql_string(p.month)})"
        for p in partitions(root, "street")
    ]
    run(
        con,
        "CREATE TABLE partitions AS SELECT * FROM "
        + (f"(VALUES {', '.join(rows)})" if rows else "(SELECT NULL, NULL, NULL WHERE false)")
        + " AS t(kind, force, month)",
    )
    return con


# --- areas and filters -------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    """An area analyses can filter by: its code, level, name and Census 2021 population."""

    code: str
    level: str  # lsoa, ward, local_authority, combined_authority, country, force
    name: str | None
    population: int | None


def find_area(con, code: str) -> Area:
    """The area a code names (a 2011 LSOA code gives the 2021 LSOA it maps to)."""
    code = code.strip()
    if SLUG_RE.match(code) and not CODE_RE.match(code):
        known = {f for (f,) in run(con, "SELECT DISTINCT force FROM partitions")} | set(FORCES)
        if code not in known:
            raise QueryError(f"“{code}” is not a police force or area code Safehold knows", "area")
        population = run(con, "SELECT sum(population) FROM lsoa21 WHERE force = ?", [code])[0][0]
        return Area(code, "force", FORCES.get(code, code), population)
    code = code.upper()
    mapped = run(con, "SELECT lsoa21_code FROM lsoa_codes WHERE code = ?", [code])
    lookup = mapped[0][0] if mapped else code
    found = run(con, "SELECT code, level, name, population FROM areas WHERE code = ?", [lookup])
    if not found:
        raise QueryError(
            f"“{code}” is not an area Safehold knows: give an LSOA, ward or local authority "
            "code, E47000001 (Greater Manchester), E92000001, W92000004, K04000001 or a police "
            "force such as greater-manchester (load more geography with `safehold geography load`)",
            "area",
        )
    return Area(*found[0])


def _month(value: str | None, name: str) -> str | None:
    if value is None or value == "":
        return None
    if not MONTH_RE.match(value):
        raise QueryError(f"{name} “{value}” is not a month in the format YYYY-MM", name)
    return value


@dataclass(frozen=True)
class _Filter:
    where: str  # SQL over s (street), m (lsoa_codes), g (lsoa21)
    needs_lsoa21: bool


def _filters(
    con, *, start: str | None, end: str | None, crime_types: Sequence[str], area_code: str | None
) -> tuple[_Filter, Area | None]:
    start, end = _month(start, "from"), _month(end, "to")
    if start and end and end < start:
        raise QueryError("to must be the same month as from or later", "to")
    where = ["true"]
    if start:
        where.append(f"s.month >= {sql_string(start)}")
    if end:
        where.append(f"s.month <= {sql_string(end)}")
    types = [t.strip() for t in crime_types if t and t.strip()]
    if types:
        where.append(f"s.crime_type IN ({', '.join(sql_string(t) for t in types)})")
    needs_lsoa21 = False
    found = find_area(con, area_code) if area_code else None
    if found:
        code = sql_string(found.code)
        placed = "coalesce(m.lsoa21_code, s.lsoa_code, s.placed_lsoa_code)"
        match found.level:
            case "force":
                where.append(f"s.force = {code}")
            case "lsoa":
                where.append(f"m.lsoa21_code = {code}")
            case "ward":
                where.append(f"g.ward_code = {code}")
                needs_lsoa21 = True
            case "local_authority":
                where.append(f"g.lad_code = {code}")
                needs_lsoa21 = True
            case "combined_authority":
                where.append(f"g.lad_code IN ({', '.join(sql_string(c) for c in GM_LADS)})")
                needs_lsoa21 = True
            case "country" if found.code == ENGLAND_CODE:
                where.append(f"{placed} LIKE 'E01%'")
            case "country" if found.code == WALES_CODE:
                where.append(f"{placed} LIKE 'W01%'")
            case "country":
                where.append(f"({placed} LIKE 'E01%' OR {placed} LIKE 'W01%')")
    return _Filter(" AND ".join(where), needs_lsoa21), found


def _from(needs_lsoa21: bool) -> str:
    joins = "street s LEFT JOIN lsoa_codes m ON m.code = coalesce(s.lsoa_code, s.placed_lsoa_code)"
    if needs_lsoa21:
        joins += " LEFT JOIN lsoa21 g ON g.lsoa21_code = m.lsoa21_code"
    return joins


def _rate(count: int | None, population: int | None) -> float | None:
    if count is None or not population:
        return None
    return count * 1000 / population


# --- counts --------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Table:
    """Rows with named columns (a summary's columns depend on how it is grouped), held as an
    Arrow table: a summary can have millions of rows, and CSV is written from it directly."""

    columns: tuple[str, ...]
    arrow: pa.Table

    @functools.cached_property
    def rows(self) -> list[tuple]:
        """The rows as Python tuples (made when first asked for)."""
        return list(zip(*(c.to_pylist() for c in self.arrow.columns), strict=True))

    def dicts(self) -> list[dict[str, object]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


_KEY_SQL = {
    "month": "s.month",
    "crime_type": "s.crime_type",
    "outcome": "s.last_outcome_category",
    "force": "s.force",
    "lsoa": "coalesce(m.lsoa21_code, s.lsoa_code, s.placed_lsoa_code)",
    "ward": "g.ward_code",
    "local_authority": "g.lad_code",
}
# The names and populations of each area key, from the small geography views.
_AREA_TABLE = {
    "lsoa": "(SELECT lsoa21_code AS code, lsoa21_name AS name, population FROM lsoa21)",
    "ward": "(SELECT ward_code AS code, ward_name AS name, population FROM wards)",
    "local_authority": (
        "(SELECT lad_code AS code, lad_name AS name, population FROM local_authorities)"
    ),
}


def _keys(group_by: Sequence[str]) -> list[str]:
    keys = []
    for key in group_by:
        key = key.strip()
        if key not in GROUP_KEYS:
            raise QueryError(
                f"cannot group by “{key}”: group by any of {', '.join(GROUP_KEYS)}", "group_by"
            )
        if key in keys:
            raise QueryError(f"“{key}” is given twice", "group_by")
        keys.append(key)
    return keys


def counts(
    con,
    *,
    group_by: Sequence[str],
    start: str | None = None,
    end: str | None = None,
    crime_types: Sequence[str] = (),
    area: str | None = None,
    rates: bool = False,
    ordered: bool = True,
) -> Table:
    """Counts of rows by any of month, crime_type, outcome (last outcome category), lsoa, ward,
    local_authority and force. Columns: each key (area keys followed by `<key>_name`), then
    `count`; with `rates`, `population` and `rate_per_1000` of the finest area key (or, with
    no area key, of the `area` filter). Rows are ordered by the keys unless `ordered` is False
    (sorting is a good part of the time of a summary with millions of rows)."""
    keys = _keys(group_by)
    f, found = _filters(con, start=start, end=end, crime_types=crime_types, area_code=area)
    rate_key = next((k for k in AREA_KEYS if k in keys), None)
    if rates and rate_key is None and found is None:
        raise QueryError(
            "rates need an area: group by lsoa, ward or local_authority, or give one", "rates"
        )
    needs_lsoa21 = f.needs_lsoa21 or bool({"ward", "local_authority"} & set(keys))
    inner_keys = ", ".join(f"{_KEY_SQL[k]} AS {k}" for k in keys)
    inner = (
        f"SELECT {inner_keys + ', ' if keys else ''}count(*) AS count "
        f"FROM {_from(needs_lsoa21)} WHERE {f.where}"
        + (f" GROUP BY {', '.join(_KEY_SQL[k] for k in keys)}" if keys else "")
    )
    columns: list[str] = []
    select: list[str] = []
    joins: list[str] = []
    for k in keys:
        columns.append(k)
        select.append(f"c.{k}")
        if k in AREA_KEYS:
            joins.append(f"LEFT JOIN {_AREA_TABLE[k]} a_{k} ON a_{k}.code = c.{k}")
            columns.append(f"{k}_name")
            select.append(f"a_{k}.name")
    columns.append("count")
    select.append("c.count")
    if rates:
        columns += ["population", "rate_per_1000"]
        if rate_key:
            population = f"a_{rate_key}.population"
        else:
            population = f"{found.population if found.population is not None else 'NULL'}"
        select.append(f"CAST({population} AS BIGINT)")
        select.append(f"CASE WHEN {population} > 0 THEN c.count * 1000.0 / {population} END")
    order = ", ".join(f"c.{k} NULLS LAST" for k in keys)
    names = ", ".join(f'"{c}"' for c in columns)
    arrow = con.sql(
        f"WITH c AS ({inner}) SELECT * FROM (SELECT {', '.join(select)} FROM c "
        f"{' '.join(joins)}{f' ORDER BY {order}' if ordered and order else ''}) AS t({names})"
    ).to_arrow_table()
    return Table(tuple(columns), arrow)


# --- coverage ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    """What the store holds: street months, forces, crime types."""

    months: list[str]
    forces: list[str]
    crime_types: list[str]
    rows: int


def coverage(con) -> Coverage:
    months = [m for (m,) in run(con, "SELECT DISTINCT month FROM partitions ORDER BY 1")]
    forces = [f for (f,) in run(con, "SELECT DISTINCT force FROM partitions ORDER BY 1")]
    if not months:
        return Coverage([], [], [], 0)
    types = run(con, "SELECT crime_type, count(*) FROM street GROUP BY 1 ORDER BY 1")
    return Coverage(
        months, forces, [t for t, _ in types if t is not None], sum(n for _, n in types)
    )


def area_months(con, code: str) -> list[str]:
    """The months, in order, for which an area has data (see `_loaded_months`)."""
    return sorted(_loaded_months(con, find_area(con, code)))


def _loaded_months(con, found: Area | None) -> set[str]:
    """Months for which the area has data: a force's published months; for an area, the months
    in which its local authorities (or, for a country, the country) have any row."""
    if found is None:
        return {m for (m,) in run(con, "SELECT DISTINCT month FROM partitions")}
    if found.level == "force":
        return {
            m
            for (m,) in run(
                con, "SELECT DISTINCT month FROM partitions WHERE force = ?", [found.code]
            )
        }
    if found.level == "country":
        f, _ = _filters(con, start=None, end=None, crime_types=(), area_code=found.code)
        sql = f"SELECT DISTINCT s.month FROM {_from(False)} WHERE {f.where}"
    else:
        if found.level in ("lsoa", "ward"):
            column = "lsoa21_code" if found.level == "lsoa" else "ward_code"
            lads = f"SELECT lad_code FROM lsoa21 WHERE {column} = {sql_string(found.code)}"
        elif found.level == "local_authority":
            lads = f"SELECT {sql_string(found.code)}"
        else:
            lads = ", ".join(sql_string(c) for c in GM_LADS)
        sql = f"SELECT DISTINCT s.month FROM {_from(True)} WHERE g.lad_code IN ({lads})"
    return {m for (m,) in run(con, sql)}


def _monthly(con, **filters) -> dict[str, int]:
    table = counts(con, group_by=["month"], **filters)
    return {month: n for month, n in table.rows}


def _shift(month: str, months: int) -> str:
    year, m = int(month[:4]), int(month[5:])
    index = year * 12 + (m - 1) + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _month_range(start: str, end: str) -> list[str]:
    out, month = [], start
    while month <= end:
        out.append(month)
        month = _shift(month, 1)
    return out


def _period(loaded: set[str], start: str | None, end: str | None) -> tuple[str, str] | None:
    start, end = _month(start, "from"), _month(end, "to")
    if not loaded and not (start and end):
        return None
    return start or min(loaded), end or max(loaded)


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
    monthly = _monthly(con, start=_shift(first, -23), end=last, crime_types=crime_types, area=area)

    def value(month: str) -> int | None:
        return monthly.get(month, 0) if month in loaded else None

    def rolling(month: str) -> int | None:
        window = [value(_shift(month, -i)) for i in range(12)]
        return None if None in window else sum(window)

    points = []
    for month in _month_range(first, last):
        now, before = value(month), value(_shift(month, -12))
        roll, roll_before = rolling(month), rolling(_shift(month, -12))
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
    months = [m for m in _month_range(*period) if m in loaded] if period else []
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


# --- the borough against Greater Manchester and England and Wales -------------------------


@dataclass(frozen=True)
class AreaRate:
    """An area's count and rate per 1,000 residents over the local authorities loaded."""

    code: str
    name: str | None
    level: str
    count: int
    population: int | None  # residents of the part of the area with data loaded
    total_population: int | None  # all the area's residents
    local_authorities: int  # with data loaded
    local_authorities_total: int
    rate_per_1000: float | None


def _lad_condition(found: Area) -> str:
    """SQL over lsoa21 (l) choosing the area's LSOAs."""
    code = sql_string(found.code)
    match found.level:
        case "lsoa":
            return f"l.lsoa21_code = {code}"
        case "ward":
            return f"l.ward_code = {code}"
        case "local_authority":
            return f"l.lad_code = {code}"
        case "combined_authority":
            return f"l.lad_code IN ({', '.join(sql_string(c) for c in GM_LADS)})"
        case "country" if found.code == ENGLAND_CODE:
            return "l.lsoa21_code LIKE 'E%'"
        case "country" if found.code == WALES_CODE:
            return "l.lsoa21_code LIKE 'W%'"
        case "country":
            return "true"
    raise QueryError(
        f"cannot compare a {found.level}: give an LSOA, ward or local authority", "area"
    )


def compare(
    con,
    *,
    area: str,
    start: str | None = None,
    end: str | None = None,
    crime_types: Sequence[str] = (),
) -> list[AreaRate]:
    """The area against Greater Manchester and England and Wales, for the same period and
    crime types: each one's count and rate per 1,000 over the local authorities that have data
    loaded for the period, so that a force not loaded does not count as having no crime (see
    COVERAGE_SHARE_OF_MEDIAN)."""
    found = find_area(con, area)
    f, _ = _filters(con, start=start, end=end, crime_types=(), area_code=None)
    typed, _ = _filters(con, start=start, end=end, crime_types=crime_types, area_code=None)
    run(
        con,
        f"""CREATE OR REPLACE TEMP TABLE compare_lsoa AS
        SELECT m.lsoa21_code, count(*) AS all_rows,
            count(*) FILTER (WHERE {typed.where}) AS rows
        FROM {_from(False)} WHERE {f.where} AND m.lsoa21_code IS NOT NULL GROUP BY 1""",
    )
    run(
        con,
        f"""CREATE OR REPLACE TEMP TABLE compare_lad AS
        WITH lad AS (
            SELECT l.lad_code, any_value(a.population) AS population,
                coalesce(sum(c.all_rows), 0) AS all_rows
            FROM lsoa21 l JOIN local_authorities a USING (lad_code)
            LEFT JOIN compare_lsoa c USING (lsoa21_code) GROUP BY 1),
        typical AS (
            SELECT median(all_rows / population) AS per_resident FROM lad
            WHERE all_rows > 0 AND population > 0)
        SELECT lad.*, all_rows > 0 AND population > 0
            AND all_rows / population >= {COVERAGE_SHARE_OF_MEDIAN} * typical.per_resident
            AS covered
        FROM lad, typical""",
    )
    others = [found.code]
    for code in (GM_CODE, EW_CODE):
        if code not in others:
            others.append(code)
    results = []
    for code in others:
        a = found if code == found.code else find_area(con, code)
        condition = _lad_condition(a)
        row = run(
            con,
            f"""SELECT
                coalesce(sum(c.rows) FILTER (WHERE d.covered), 0),
                sum(l.population) FILTER (WHERE d.covered),
                sum(l.population),
                count(DISTINCT l.lad_code) FILTER (WHERE d.covered),
                count(DISTINCT l.lad_code)
            FROM lsoa21 l JOIN compare_lad d USING (lad_code)
            LEFT JOIN compare_lsoa c USING (lsoa21_code)
            WHERE {condition}""",
        )[0]
        count, population, total, lads, lads_total = row
        results.append(
            AreaRate(
                code=a.code,
                name=a.name,
                level=a.level,
                count=int(count),
                population=population,
                total_population=total,
                local_authorities=lads,
                local_authorities_total=lads_total,
                rate_per_1000=_rate(int(count), population),
            )
        )
    return results


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


# --- the points of street rows (for hot spots) ----------------------------------------------


@dataclass(frozen=True, eq=False)
class StreetPoints:
    """Where the rows the filters select lie: police.uk's anonymised points (WGS84), and how
    many of the rows selected have no coordinates (police.uk's "No location")."""

    longitude: np.ndarray
    latitude: np.ndarray
    without_coordinates: int

    def __len__(self) -> int:
        return len(self.longitude)


def street_points(
    con,
    *,
    start: str | None = None,
    end: str | None = None,
    crime_types: Sequence[str] = (),
    area: str | None = None,
) -> StreetPoints:
    """The longitude and latitude of every street row the filters select that has them (one
    point per row, so a map point with three crimes is given three times)."""
    f, _ = _filters(con, start=start, end=end, crime_types=crime_types, area_code=area)
    arrow = con.sql(
        f"""SELECT s.longitude, s.latitude FROM {_from(f.needs_lsoa21)}
        WHERE {f.where} AND s.longitude IS NOT NULL AND s.latitude IS NOT NULL"""
    ).to_arrow_table()
    missing = run(
        con,
        f"""SELECT count(*) FROM {_from(f.needs_lsoa21)}
        WHERE {f.where} AND (s.longitude IS NULL OR s.latitude IS NULL)""",
    )[0][0]
    return StreetPoints(
        longitude=arrow.column("longitude").to_numpy().astype(float),
        latitude=arrow.column("latitude").to_numpy().astype(float),
        without_coordinates=int(missing),
    )


def as_dicts(items) -> list[dict]:
    """Dataclass results as plain dicts (for JSON)."""
    return [asdict(i) for i in items]
