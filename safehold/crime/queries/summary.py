"""Counts of street rows grouped by any keys (with rates), what the store covers, and
the months an area has data for."""

# ruff: noqa: S608 -- SQL is built from fixed fragments; every value is validated and quoted.

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from safehold.analytics.store import run, scalar, sql_string
from safehold.crime.queries import monthly
from safehold.crime.queries.filters import (
    AREA_KEYS,
    GROUP_KEYS,
    Area,
    QueryError,
    _filters,
    _from,
    _month,
    find_area,
)
from safehold.geography.layers import GM_LADS

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


# Rows counted, or the kept counts summed (as BIGINT: DuckDB sums BIGINTs to a HUGEINT).
_COUNT = {False: "count(*)", True: "CAST(coalesce(sum(s.n), 0) AS BIGINT)"}


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
    if keys == list(monthly.KEYS) and not rates and found is None:
        table = _by_month_type_and_lsoa(con, start=start, end=end, crime_types=crime_types)
        if table is not None:
            return table
    rate_key = next((k for k in AREA_KEYS if k in keys), None)
    if rates and rate_key is None and found is None:
        raise QueryError(
            "rates need an area: group by lsoa, ward or local_authority, or give one", "rates"
        )
    needs_lsoa21 = f.needs_lsoa21 or bool({"ward", "local_authority"} & set(keys))
    inner_keys = ", ".join(f"{_KEY_SQL[k]} AS {k}" for k in keys)
    # The counts kept at import answer every grouping but the outcome (ADR 38).
    counted = "outcome" not in keys
    inner = (
        f"SELECT {inner_keys + ', ' if keys else ''}{_COUNT[counted]} AS count "
        f"FROM {_from(needs_lsoa21, counted)} WHERE {f.where}"
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


def _by_month_type_and_lsoa(con, *, start, end, crime_types) -> Table | None:
    """The month x crime type x LSOA summary from the monthly files (queries.monthly), read in
    month order, each ordered by type and LSOA: no grouping or sorting is left to do, and its
    text columns come dictionary-encoded, as stored. None if a street file has no counts kept
    (a store from before they were kept): the rows are counted."""
    root = Path(scalar(con, "SELECT getvariable('crime_root')"))
    if not scalar(con, "SELECT coalesce(bool_and(counted), true) FROM partitions"):
        return None
    start, end = _month(start, "from"), _month(end, "to")
    loaded = [m for (m,) in run(con, "SELECT DISTINCT month FROM partitions ORDER BY 1")]
    months = [m for m in loaded if (not start or m >= start) and (not end or m <= end)]
    tables = monthly.month_tables(con, root, months)
    arrow = pa.concat_tables(tables) if tables else monthly.SCHEMA.empty_table()
    types = [t.strip() for t in crime_types if t and t.strip()]
    if types:
        arrow = arrow.filter(pc.is_in(arrow.column("crime_type"), value_set=pa.array(types)))
    return Table(monthly.COLUMNS, arrow)


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
    types = run(
        con, "SELECT crime_type, CAST(sum(n) AS BIGINT) FROM street_counts GROUP BY 1 ORDER BY 1"
    )
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
        sql = f"SELECT DISTINCT s.month FROM {_from(False, counted=True)} WHERE {f.where}"
    else:
        if found.level in ("lsoa", "ward"):
            column = "lsoa21_code" if found.level == "lsoa" else "ward_code"
            lads = f"SELECT lad_code FROM lsoa21 WHERE {column} = {sql_string(found.code)}"
        elif found.level == "local_authority":
            lads = f"SELECT {sql_string(found.code)}"
        else:
            lads = ", ".join(sql_string(c) for c in GM_LADS)
        sql = (
            f"SELECT DISTINCT s.month FROM {_from(True, counted=True)} WHERE g.lad_code IN ({lads})"
        )
    return {m for (m,) in run(con, sql)}


def _monthly(con, **filters) -> dict[str, int]:
    table = counts(con, group_by=["month"], **filters)
    return {month: n for month, n in table.rows}
