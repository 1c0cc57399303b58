"""The sections of the police.uk dashboard, the analysis pages and the ward locality report,
each built from the analysis functions (safehold.crime.queries, safehold.crime.police_hotspots)
for a set of Filters, with what a page needs to show it: rows, a map, the figures in words.

Plain functions of a DuckDB connection and the filters; no request, no ORM. The numbers are
the analysis functions' own, so a page, its downloads, the command line and the API agree.
"""

from dataclasses import dataclass

from safehold.analytics.store import run
from safehold.charts import maps
from safehold.crime import queries
from safehold.crime.dashboard.filters import Filters, borough_wards, month_label
from safehold.crime.police_hotspots import BOROUGH_CODE, PoliceHotspots, police_hotspots
from safehold.geography import layers
from safehold.hotspots.gistar import HotspotCell

RATE_UNIT = "crimes per 1,000 residents"


def _rate(count: int, population: int | None) -> float | None:
    return count * 1000 / population if population else None


def _percent(part: float, whole: float) -> float | None:
    return part * 100 / whole if whole else None


# --- headline figures ----------------------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    """The area's crimes in the period, its rate per 1,000 residents, and the same months a
    year before (when every one of them is loaded)."""

    area: queries.Area
    count: int
    rate: float | None
    previous: int | None
    change: int | None
    change_percent: float | None
    months_loaded: int
    months: int


def headline(points: list[queries.TrendPoint], area: queries.Area) -> Headline:
    """From the trend of the period (one point per month): its total, and the total of the same
    months a year before."""
    loaded = [p for p in points if p.count is not None]
    count = sum(p.count for p in loaded)
    before = [p.previous_year for p in points]
    previous = None if not points or None in before else sum(before)
    return Headline(
        area=area,
        count=count,
        rate=_rate(count, area.population),
        previous=previous,
        change=None if previous is None else count - previous,
        change_percent=None if not previous else (count - previous) * 100 / previous,
        months_loaded=len(loaded),
        months=len(points),
    )


# --- the monthly trend ---------------------------------------------------------------------


@dataclass(frozen=True)
class TrendSection:
    points: list[queries.TrendPoint]
    headline: Headline
    missing: list[str]  # months of the period with no data loaded for the area


def trend_section(con, f: Filters, area: queries.Area) -> TrendSection:
    points = queries.trend(con, area=f.area, **f.common())
    return TrendSection(
        points=points,
        headline=headline(points, area),
        missing=[month_label(p.month) for p in points if p.count is None],
    )


# --- wards: the choropleth and the table of every ward -------------------------------------


@dataclass(frozen=True)
class WardRow:
    code: str
    name: str
    count: int
    population: int | None
    rate: float | None

    def value(self, measure: str) -> float | None:
        return self.rate if measure == "rate" else self.count


@dataclass(frozen=True)
class WardSection:
    """Every Stockport ward (zeros too) with its crimes and rate, the most by the measure
    first, and the choropleth of the same values."""

    rows: list[WardRow]
    measure: str
    crime_map: maps.CrimeMap
    total: int


def _rate_text(value: float) -> str:
    return f"{value:,.2f}"


def ward_section(con, f: Filters) -> WardSection:
    table = queries.counts(
        con, group_by=["ward"], area=BOROUGH_CODE, rates=True, ordered=False, **f.common()
    )
    found = {row[0]: row for row in table.rows}
    rows = []
    for code, name, population in borough_wards(con):
        count = found[code][2] if code in found else 0
        rate = found[code][4] if code in found else (0.0 if population else None)
        rows.append(WardRow(code, name, count, population, rate))
    key = (
        (lambda r: (-(r.rate or 0), r.name))
        if f.measure == "rate"
        else (lambda r: (-r.count, r.name))
    )
    rows.sort(key=key)
    values = {r.code: r.value(f.measure) for r in rows}
    if f.measure == "rate":
        layer = maps.choropleth_layer(
            maps.ward_boundaries(), values, key="code", unit=RATE_UNIT, fmt=_rate_text
        )
        what = "crimes per 1,000 residents"
    else:
        layer = maps.choropleth_layer(maps.ward_boundaries(), values, key="code", unit="crimes")
        what = "number of crimes"
    crime_map = maps.CrimeMap(
        map_id="ward-map",
        title=f"Stockport's wards by {what}",
        description=(
            f"Map of Stockport's {len(rows)} wards shaded by their {what} in {f.period_words()}: "
            "the darker, the higher (see the key). The table after the map gives every ward's "
            "number of crimes, residents and rate."
        ),
        table_id="ward-table",
        layer=layer,
        boundaries=maps.NO_BOUNDARIES,  # the layer is the wards themselves
    )
    return WardSection(rows, f.measure, crime_map, sum(r.count for r in rows))


# --- hot spots ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class HotspotSection:
    result: PoliceHotspots
    cells: list[tuple[HotspotCell, str | None]]  # with the ward of the centre
    crime_map: maps.CrimeMap

    @property
    def classes(self) -> dict[str, int]:
        return self.result.classes()


def hotspot_section(
    con,
    f: Filters,
    *,
    cell_size: float = 250,
    radius: int = 1,
    alpha: float = 0.10,
    study_area: str = "area",
    boundaries: dict | None = None,
    boundary_name: str = "Ward",
) -> HotspotSection:
    result = police_hotspots(
        con,
        area=f.area,
        cell_size=cell_size,
        radius=radius,
        alpha=alpha,
        study_area=study_area,
        **f.common(),
    )
    cells = result.cells
    wards = maps.wards_at([c.centre_lon for c in cells], [c.centre_lat for c in cells])
    outlines = boundary_name if boundary_name.isupper() else boundary_name.lower()
    crime_map = maps.CrimeMap(
        map_id="hotspot-map",
        title="Hot and cold spots of crime",
        description=(
            f"Map of {'Stockport' if boundary_name == 'Ward' else 'the ward'}'s "
            f"{outlines}s with the {len(cells):,} grid cells of {cell_size:g} "
            "metres that are hot or cold spots, coloured by class (see the key). The table "
            "after the map lists every cell with its class, crimes and ward. Police.uk moves "
            "each crime to a nearby anonymous point, so the cells are approximate."
        ),
        table_id="hotspot-table",
        layer=maps.hotspot_layer(cells, unit="crimes"),
        boundaries=boundaries if boundaries is not None else maps.ward_boundaries(),
        boundary_name=boundary_name,
    )
    return HotspotSection(result, list(zip(cells, wards, strict=True)), crime_map)


# --- crime types -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TypeRow:
    crime_type: str
    count: int
    share: float | None  # percent of the area's crimes
    rate: float | None


def types_section(con, f: Filters) -> list[TypeRow]:
    """Crimes by type in the area, the commonest first."""
    table = queries.counts(con, group_by=["crime_type"], area=f.area, rates=True, **f.common())
    total = sum(r[1] for r in table.rows)
    rows = [TypeRow(t or "Not given", n, _percent(n, total), rate) for t, n, _, rate in table.rows]
    return sorted(rows, key=lambda r: (-r.count, r.crime_type))


# --- the area against Greater Manchester and England and Wales -------------------------------


@dataclass(frozen=True)
class CompareSection:
    rows: list[queries.AreaRate]
    notes: list[str]  # what "Greater Manchester" and "England and Wales" cover here, in words


def _coverage_note(row: queries.AreaRate) -> str | None:
    if row.local_authorities == 0:
        return f"{row.name}: no local authority has police.uk data loaded for this period."
    if row.local_authorities < row.local_authorities_total:
        return (
            f"{row.name} here means only the {row.local_authorities} of its "
            f"{row.local_authorities_total} local authorities (that Safehold has geography for) "
            f"with police.uk data loaded for the period: {row.population:,} of their "
            f"{row.total_population:,} residents."
        )
    return None


def compare_notes(rows: list[queries.AreaRate]) -> list[str]:
    """What the comparison rows cover, in words: how many local authorities have data loaded,
    whether England and Wales is more than Greater Manchester, whether the rows differ."""
    by_code = {r.code: r for r in rows}
    gm, ew = by_code.get(layers.GM_CODE), by_code.get(layers.EW_CODE)
    gm_only = bool(gm and ew and ew.total_population == gm.total_population)
    notes = [
        note for row in rows[1:] if not (gm_only and row is ew) and (note := _coverage_note(row))
    ]
    if gm_only:
        notes.append(
            "Safehold holds geography for Greater Manchester only, so “England and Wales” can "
            "count no more than Greater Manchester's local authorities: it is not a national "
            "figure until the ONS files for the rest of England and Wales are loaded "
            "(docs/how-to/load-police-data.md)."
        )
    if len({(r.count, r.population) for r in rows}) == 1 and len(rows) > 1:
        notes.append(
            "Every row counts the same crimes, because only this area's police.uk data is "
            "loaded: import other local authorities' (or forces') files to compare."
        )
    return notes


def compare_section(con, f: Filters, *, with_local_authority: bool = False) -> CompareSection:
    """The area, (for a ward, its local authority,) Greater Manchester and England and Wales."""
    rows = queries.compare(con, area=f.area, **f.common())
    if with_local_authority and rows[0].level in ("ward", "lsoa"):
        column = "ward_code" if rows[0].level == "ward" else "lsoa21_code"
        lad = run(
            con,
            f"SELECT any_value(lad_code) FROM lsoa21 WHERE {column} = ?",  # noqa: S608
            [rows[0].code],
        )[0][0]
        if lad:
            rows.insert(1, queries.compare(con, area=lad, **f.common())[0])
    return CompareSection(rows, compare_notes(rows))


# --- the top areas -----------------------------------------------------------------------------


def top_section(con, f: Filters, *, level: str, limit: int = 10) -> list[queries.AreaCount]:
    return queries.top_areas(
        con, level=level, within=f.area, by=f.measure, limit=limit, **f.common()
    )


# --- the seasonal profile ----------------------------------------------------------------------


@dataclass(frozen=True)
class SeasonalSection:
    months: list[queries.SeasonalMonth]
    words: list[str]
    total: int


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def seasonal_words(months: list[queries.SeasonalMonth]) -> list[str]:
    """Summer against the rest of the year, and October and November (police.uk gives only
    the month, so those stand for Halloween and Bonfire Night), in sentences."""
    with_data = [m for m in months if m.average is not None]
    if not with_data or not sum(m.count for m in months):
        return ["There are no crimes for these filters."]
    busiest = max(with_data, key=lambda m: m.average)
    words = [
        f"The busiest month of the year is {busiest.name}: {busiest.average:,.1f} crimes in an "
        f"average {busiest.name} ({busiest.index:.2f} times an ordinary month)."
    ]
    summer = _mean([m.average for m in with_data if m.occasion == "Summer"])
    rest = _mean([m.average for m in with_data if m.occasion != "Summer"])
    if summer is not None and rest:
        words.append(
            f"Summer (June to August): {summer:,.1f} crimes a month, against {rest:,.1f} in the "
            f"other months ({summer / rest:.2f} times as many)."
        )
    for month_of_year, occasion in ((10, "Halloween"), (11, "Bonfire Night")):
        m = months[month_of_year - 1]
        if m.average is None or m.index is None:
            words.append(f"{occasion}: the period holds no {m.name} with data loaded.")
            continue
        words.append(
            f"{occasion}: police.uk gives only the month, so {m.name} stands for it: "
            f"{m.average:,.1f} crimes in an average {m.name}, {m.index:.2f} times an ordinary "
            f"month ({m.years} {m.name}{'s' if m.years != 1 else ''} in the period)."
        )
    return words


def seasonal_section(con, f: Filters) -> SeasonalSection:
    months = queries.seasonal(con, area=f.area, **f.common())
    return SeasonalSection(months, seasonal_words(months), sum(m.count for m in months))


# --- repeat locations --------------------------------------------------------------------------


@dataclass(frozen=True)
class RepeatsSection:
    rows: list[queries.RepeatLocation]
    profile: queries.RepeatProfile
    words: list[str]
    min_count: int


def repeats_section(con, f: Filters, *, min_count: int = 2, limit: int = 10) -> RepeatsSection:
    rows = queries.repeat_locations(
        con, area=f.area, min_count=min_count, limit=limit, **f.common()
    )
    p = queries.repeat_profile(con, area=f.area, **f.common())
    if not p.incidents:
        words = ["There are no crimes with a location for these filters."]
    else:
        words = [
            f"{p.incidents:,} crimes at {p.locations:,} places (police.uk's anonymised map "
            f"points). {p.repeat_locations:,} places have 2 or more, with "
            f"{p.incidents_at_repeat_locations:,} crimes between them "
            f"({(p.share_at_repeat_locations or 0):.0%} of all); {p.locations_over_six:,} "
            "have more than 6."
        ]
    return RepeatsSection(rows, p, words, min_count)
