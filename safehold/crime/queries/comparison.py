"""An area against Greater Manchester and England and Wales, counting only the local
authorities whose data is loaded."""

# ruff: noqa: S608 -- SQL is built from fixed fragments; every value is validated and quoted.

from collections.abc import Sequence
from dataclasses import dataclass

from safehold.analytics.store import run, sql_string
from safehold.crime.queries.filters import (
    COVERAGE_SHARE_OF_MEDIAN,
    Area,
    QueryError,
    _filters,
    _from,
    _rate,
    find_area,
)
from safehold.geography.layers import ENGLAND_CODE, EW_CODE, GM_CODE, GM_LADS, WALES_CODE

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


def lad_condition(found: Area) -> str:
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
        SELECT m.lsoa21_code, sum(s.n) AS all_rows,
            coalesce(sum(s.n) FILTER (WHERE {typed.where}), 0) AS rows
        FROM {_from(False, counted=True)} WHERE {f.where} AND m.lsoa21_code IS NOT NULL GROUP BY 1""",
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
        condition = lad_condition(a)
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
