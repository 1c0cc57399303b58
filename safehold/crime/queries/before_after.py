"""Did it work? Crime and anti-social behaviour in an area (a ward, an LSOA or a set of LSOAs)
before and after an intervention (an operation, a closure order, a day of action), against the
same months a year before and against comparable areas of the same police force: those of
similar level and trend before it (ADR 45; the arithmetic is `queries.comparable`).

Everything is read from the counts the imports keep (month x crime type x LSOA, ADR 38) in one
grouped query over the force's months, never from the rows, so the area's monthly counts are
those `safehold crime summary --area … --group-by month` gives.
"""

# ruff: noqa: S608 -- SQL is built from fixed fragments; every value is validated and quoted.

import datetime
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from safehold.analytics.series import Monthly
from safehold.analytics.store import run, sql_string
from safehold.crime.queries import comparable
from safehold.crime.queries.comparable import Change, Difference, Level
from safehold.crime.queries.filters import QueryError, _filters, _from, find_area, shift_month

MONTHS_BEFORE = 12
MONTHS_AFTER = 12
MOST_MONTHS = 36
_SPLIT = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class MonthRow:
    """One month of the series: the area's count (None if the month is not loaded), the same
    month a year before, the area's rate per 1,000 residents and the comparable areas' (their
    counts and residents added together)."""

    month: str
    period: str  # "before" or "after" (the month of the intervention is the first after)
    count: int | None
    previous_year: int | None
    rate: float | None
    comparison_count: int | None
    comparison_rate: float | None


@dataclass(frozen=True)
class ComparableArea:
    """A comparable area, named: its level and trend before, how near it is, its counts."""

    code: str
    name: str | None
    population: int
    level: Level
    distance: float
    count_before: int
    count_after: int


@dataclass(frozen=True)
class BeforeAfter:
    """The before and after of one area and intervention date."""

    area: str  # the code, or the LSOA codes joined by commas
    name: str
    level: str  # "ward" or "lsoa"
    lsoas: tuple[str, ...]
    population: int
    force: str
    date: datetime.date
    month: str  # of the intervention
    crime_types: tuple[str, ...]
    months: list[MonthRow]
    before_months: list[str]  # loaded
    after_months: list[str]  # loaded
    missing: list[str]  # months of the window with no data loaded
    count_before: int
    count_after: int
    before_and_after: Change  # mean a month, after against before
    year_on_year: Change  # the after months against the same months a year before
    year_on_year_months: list[str]  # the after months with their year before loaded
    area_level: Level
    comparable: list[ComparableArea]
    candidates: int  # areas the comparable ones were chosen from
    comparison: Difference | None


@dataclass(frozen=True)
class _Target:
    code: str
    name: str
    level: str
    lsoas: tuple[str, ...]
    wards: tuple[str, ...]
    force: str


def _target(con, area: str) -> _Target:
    codes = [c for c in _SPLIT.split(area.strip()) if c]
    if not codes:
        raise QueryError("Enter a ward or LSOA code", "area")
    found = [find_area(con, c) for c in codes]
    if len(found) == 1 and found[0].level == "ward":
        ward = found[0]
        rows = run(
            con, "SELECT lsoa21_code, force FROM lsoa21 WHERE ward_code = ? ORDER BY 1", [ward.code]
        )
        lsoas = tuple(r[0] for r in rows)
        forces = {r[1] for r in rows}
        level, name, code, wards = "ward", ward.name or ward.code, ward.code, (ward.code,)
    else:
        if any(f.level != "lsoa" for f in found):
            raise QueryError(
                "Give one ward code, or one or more LSOA codes separated by commas", "area"
            )
        lsoas = tuple(sorted({f.code for f in found}))
        listed = ", ".join(sql_string(c) for c in lsoas)
        rows = run(con, f"SELECT ward_code, force FROM lsoa21 WHERE lsoa21_code IN ({listed})")
        wards = tuple(sorted({r[0] for r in rows if r[0]}))
        forces = {r[1] for r in rows}
        level, code = "lsoa", ",".join(lsoas)
        names = {f.code: f.name or f.code for f in found}
        name = names[lsoas[0]] if len(lsoas) == 1 else f"{len(lsoas)} LSOAs"
        if len(lsoas) > 1:
            name += f" ({', '.join(names[c] for c in lsoas)})"
    forces.discard(None)
    if len(forces) != 1:
        raise QueryError("The LSOAs must all be in one police force's area", "area")
    return _Target(code, name, level, lsoas, wards, forces.pop())


def _window(month: str, before: int, after: int) -> tuple[list[str], list[str]]:
    if not 1 <= before <= MOST_MONTHS or not 1 <= after <= MOST_MONTHS:
        raise QueryError(f"Months before and after must each be from 1 to {MOST_MONTHS}", "months")
    return (
        [shift_month(month, i) for i in range(-before, 0)],
        [shift_month(month, i) for i in range(after)],
    )


def before_after(
    con,
    *,
    area: str,
    date: datetime.date,
    crime_types: Sequence[str] = (),
    before: int = MONTHS_BEFORE,
    after: int = MONTHS_AFTER,
    k: int = comparable.COMPARABLE_AREAS,
) -> BeforeAfter:
    """The monthly series of `area` for `before` months before the month of `date` and `after`
    months from it (the months loaded), with the change on a year before and against the `k`
    areas of the same force and level (wards for a ward, LSOAs for LSOAs; an LSOA in the same
    ward as the area's is left out) nearest it in rate and trend before."""
    target = _target(con, area)
    month = f"{date.year:04d}-{date.month:02d}"
    before_window, after_window = _window(month, before, after)
    types = tuple(t.strip() for t in crime_types if t and t.strip())
    unit = "g.ward_code" if target.level == "ward" else "g.lsoa21_code"
    first = shift_month(before_window[0], -12)
    f, _ = _filters(con, start=first, end=after_window[-1], crime_types=types, area_code=None)
    force = sql_string(target.force)
    lsoas = ", ".join(sql_string(c) for c in target.lsoas)
    # One grouped read of the kept counts: every area of the force, every month needed.
    counted = run(
        con,
        f"""SELECT s.month, {unit}, CAST(sum(s.n) AS BIGINT) FROM {_from(True, counted=True)}
        WHERE {f.where} AND g.force = {force} GROUP BY 1, 2""",
    )
    # The months each local authority of the force has any data for (as the summaries count
    # them): an area is loaded in a month when its local authority is.
    lad_months: dict[str, set[str]] = defaultdict(set)
    for lad, m in run(
        con,
        f"""SELECT DISTINCT g.lad_code, s.month FROM {_from(True, counted=True)}
        WHERE s.month >= {sql_string(first)} AND s.month <= {sql_string(after_window[-1])}
        AND g.force = {force}""",
    ):
        lad_months[lad].add(m)
    own_lads = {
        r[0] for r in run(con, f"SELECT lad_code FROM lsoa21 WHERE lsoa21_code IN ({lsoas})")
    }
    loaded = set().union(*(lad_months[lad] for lad in own_lads))
    if target.level == "ward":
        areas = run(
            con,
            f"SELECT ward_code, any_value(ward_name), sum(population), any_value(lad_code) "
            f"FROM lsoa21 WHERE force = {force} AND ward_code IS NOT NULL GROUP BY 1",
        )
    else:
        areas = run(
            con,
            f"SELECT lsoa21_code, lsoa21_name, population, lad_code FROM lsoa21 "
            f"WHERE force = {force} AND lsoa21_code NOT IN ({lsoas}) AND (ward_code IS NULL "
            f"OR ward_code NOT IN ({', '.join(sql_string(w) for w in target.wards) or 'NULL'}))",
        )
    population = run(
        con, f"SELECT CAST(sum(population) AS BIGINT) FROM lsoa21 WHERE lsoa21_code IN ({lsoas})"
    )[0][0]
    if not population:
        raise QueryError("No residents are known for this area: load the geography", "area")

    by_area: dict[str, dict[str, int]] = defaultdict(dict)
    for m, code, n in counted:
        if code is not None:
            by_area[code][m] = int(n)
    own = set(target.lsoas) if target.level == "lsoa" else {target.code}
    series: dict[str, int] = defaultdict(int)
    for code in own:
        for m, n in by_area.get(code, {}).items():
            series[m] += n

    def count(m: str) -> int | None:
        return series.get(m, 0) if m in loaded else None

    before_months = [m for m in before_window if m in loaded]
    after_months = [m for m in after_window if m in loaded]
    if not before_months and not after_months:
        raise QueryError("No data is loaded for the months around this date", "date")
    if not before_months:
        raise QueryError("No data is loaded for the months before this date", "date")
    if not after_months:
        raise QueryError("No data is loaded for the month of this date or after it", "date")

    rates = {m: comparable.rate(series.get(m, 0), population) for m in loaded}
    names = {code: name for code, name, _, _ in areas}
    # Candidates: the other areas with residents whose local authority has every month before
    # loaded (an authority whose data is not loaded has no crime to compare, not none).
    people = {
        code: int(p)
        for code, _, p, lad in areas
        if p and code != target.code and lad_months[lad].issuperset(before_months)
    }
    candidates = {
        code: [comparable.rate(by_area.get(code, {}).get(m, 0), p) for m in before_months]
        for code, p in people.items()
    }
    matches = comparable.nearest([rates[m] for m in before_months], candidates, k)
    chosen = [m.code for m in matches]
    chosen_people = sum(people[c] for c in chosen)

    def group_count(m: str) -> int | None:
        if m not in loaded or not chosen:
            return None
        return sum(by_area.get(c, {}).get(m, 0) for c in chosen)

    def group_rate(m: str) -> float | None:
        n = group_count(m)
        return None if n is None else comparable.rate(n, chosen_people)

    rows = []
    for m in before_window + after_window:
        n = count(m)
        rows.append(
            MonthRow(
                month=m,
                period="before" if m < month else "after",
                count=n,
                previous_year=count(shift_month(m, -12)),
                rate=None if n is None else rates[m],
                comparison_count=group_count(m),
                comparison_rate=group_rate(m),
            )
        )
    count_before = sum(series.get(m, 0) for m in before_months)
    count_after = sum(series.get(m, 0) for m in after_months)
    yoy_months = [m for m in after_months if shift_month(m, -12) in loaded]
    comparison = None
    if chosen:
        comparison = comparable.difference_in_differences(
            area_before=[rates[m] for m in before_months],
            area_after=[rates[m] for m in after_months],
            comparison_before=[group_rate(m) for m in before_months],
            comparison_after=[group_rate(m) for m in after_months],
        )
    return BeforeAfter(
        area=target.code,
        name=target.name,
        level=target.level,
        lsoas=target.lsoas,
        population=int(population),
        force=target.force,
        date=date,
        month=month,
        crime_types=types,
        months=rows,
        before_months=before_months,
        after_months=after_months,
        missing=[m for m in before_window + after_window if m not in loaded],
        count_before=count_before,
        count_after=count_after,
        before_and_after=comparable.change(
            count_before / len(before_months), count_after / len(after_months)
        ),
        year_on_year=comparable.change(
            sum(series.get(shift_month(m, -12), 0) for m in yoy_months) if yoy_months else None,
            sum(series.get(m, 0) for m in yoy_months) if yoy_months else None,
        ),
        year_on_year_months=yoy_months,
        area_level=comparable.level_of([rates[m] for m in before_months]),
        comparable=[
            ComparableArea(
                code=match.code,
                name=names.get(match.code),
                population=people[match.code],
                level=match.level,
                distance=match.distance,
                count_before=sum(by_area.get(match.code, {}).get(m, 0) for m in before_months),
                count_after=sum(by_area.get(match.code, {}).get(m, 0) for m in after_months),
            )
            for match in matches
        ],
        candidates=len(candidates),
        comparison=comparison,
    )


# --- A second series for the same area and date (ADR 45) ----------------------------------------


@dataclass(frozen=True)
class SeriesMonth:
    """One month of a second series: its count (None if the data does not cover the month)
    and the same month a year before."""

    month: str
    period: str
    count: int | None
    previous_year: int | None


@dataclass(frozen=True)
class SecondSeries:
    """Another monthly series of the area (the partner incident logs), over the same window,
    with the same before-and-after and year-before figures (no comparable areas)."""

    key: str
    label: str
    about: str
    months: list[SeriesMonth]
    before_months: list[str]  # covered
    after_months: list[str]  # covered
    count_before: int
    count_after: int
    before_and_after: Change | None  # None without covered months both before and after
    year_on_year: Change
    year_on_year_months: list[str]


def series_window(result: BeforeAfter) -> tuple[str, str]:
    """The months a second series needs: from a year before the window to its last month."""
    return shift_month(result.months[0].month, -12), result.months[-1].month


def second_series(
    result: BeforeAfter, *, key: str, label: str, about: str, monthly: Monthly
) -> SecondSeries:
    """The figures of `monthly` (counts and the months covered) for `result`'s window,
    worked out as the police.uk series' are."""

    def count(m: str) -> int | None:
        return monthly.counts.get(m, 0) if m in monthly.covered else None

    windows = [m.month for m in result.months]
    before_months = [m for m in windows if m < result.month and m in monthly.covered]
    after_months = [m for m in windows if m >= result.month and m in monthly.covered]
    count_before = sum(count(m) for m in before_months)
    count_after = sum(count(m) for m in after_months)
    yoy = [m for m in after_months if shift_month(m, -12) in monthly.covered]
    return SecondSeries(
        key=key,
        label=label,
        about=about,
        months=[
            SeriesMonth(m.month, m.period, count(m.month), count(shift_month(m.month, -12)))
            for m in result.months
        ],
        before_months=before_months,
        after_months=after_months,
        count_before=count_before,
        count_after=count_after,
        before_and_after=comparable.change(
            count_before / len(before_months), count_after / len(after_months)
        )
        if before_months and after_months
        else None,
        year_on_year=comparable.change(
            sum(count(shift_month(m, -12)) for m in yoy) if yoy else None,
            sum(count(m) for m in yoy) if yoy else None,
        ),
        year_on_year_months=yoy,
    )
