"""The incident analyses as the pages and the API show them: the peaks and seasons in words,
the hot spots with each cell's ward and the map, and the incidents counted by ward.

Plain functions of the filters (the analysis functions' keyword arguments): no request, no ORM.
"""

from dataclasses import dataclass

from safehold.charts import maps
from safehold.incidents.analysis import (
    MONTHS,
    Filters,
    HeatMap,
    Seasonal,
    hotspots,
    locations,
)
from safehold.incidents.store import connect

# The most cells a hot-spot page draws (the borough at 100 m is about 29,000).
MAX_PAGE_CELLS = 2_000_000


def hour_range(hour: int) -> str:
    return f"{hour:02d}:00 to {(hour + 1) % 24:02d}:00"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "0%"


def heatmap_words(h: HeatMap) -> list[str]:
    """The heat map's peaks in sentences: days, hours, the busiest slots, evenings, weekends."""
    if not h.total:
        return ["There are no incidents for these filters."]
    day_total = dict(zip(h.days, h.day_totals, strict=True))
    days = [f"{d} ({day_total[d]:,})" for d in h.peak_days]
    hours = [f"{hour_range(hour)} ({h.hour_totals[hour]:,})" for hour in h.peak_hours]
    slots = [f"{s.day} {hour_range(s.hour)} ({s.incidents:,})" for s in h.peak_slots[:3]]
    evening = sum(row[hour] for row in h.counts for hour in range(18, 24))
    night = sum(row[hour] for row in h.counts for hour in range(0, 6))
    weekend = h.day_totals[5] + h.day_totals[6]
    return [
        f"{h.total:,} incident{'s' * (h.total != 1)}, counted in UK time.",
        f"The busiest day{'s are' if len(days) > 1 else ' is'} {_and(days)}; the busiest "
        f"hour{'s are' if len(hours) > 1 else ' is'} {_and(hours)}.",
        f"The busiest times of the week: {_and(slots)}.",
        f"Evenings (18:00 to midnight) have {_share(evening, h.total)} of the incidents and "
        f"nights (midnight to 06:00) {_share(night, h.total)}; weekends (Saturday and Sunday) "
        f"have {_share(weekend, h.total)}, against 29% if every day were the same.",
    ]


def _per_day(value: float | None) -> str:
    return "no days" if value is None else f"{value:,.2f}"


def _times(ratio: float | None) -> str:
    return "" if ratio is None else f"{ratio:.1f} times"


def seasonal_words(s: Seasonal) -> dict:
    """Summer, Halloween and Bonfire Night against the rest of the year, in sentences."""
    if not s.total:
        return {"summary": ["There are no incidents for these filters."], "call_outs": []}
    sm = s.summer
    summary_lines = [
        f"{s.total:,} incident{'s' * (s.total != 1)} from {s.period_from:%-d %B %Y} to "
        f"{s.period_to:%-d %B %Y}. The busiest month{'s are' if len(s.peak_months) > 1 else ' is'} "
        f"{_and(list(s.peak_months))}.",
    ]
    if sm.days and sm.rest_days:
        summary_lines.append(
            f"Summer (June to August): {_per_day(sm.per_day)} incidents a day, against "
            f"{_per_day(sm.rest_per_day)} in the rest of the year"
            + (f" ({_times(sm.ratio)} as many)." if sm.ratio is not None else ".")
        )
    call_outs = []
    for d in s.call_outs:
        month = MONTHS[d.month - 1]
        if not d.occurrences:
            call_outs.append(f"{d.label} ({d.day} {month}) is not in the period.")
            continue
        line = (
            f"{d.label} ({d.day} {month}): {d.incidents:,} incident{'s' * (d.incidents != 1)} "
            f"on the {d.occurrences} {'day' if d.occurrences == 1 else 'days'} it falls in the "
            f"period, {_per_day(d.per_day)} a day"
        )
        if d.ratio is not None:
            line += (
                f": {_times(d.ratio)} an average day in {month} ({_per_day(d.month_per_day)} a day)"
            )
        call_outs.append(line + ".")
    return {"summary": summary_lines, "call_outs": call_outs}


@dataclass(frozen=True)
class HotspotResult:
    """The hot-spot analysis of a page, with what it needs to show it."""

    analysis: object  # HotspotAnalysis or None (no incidents and no study area)
    filters: Filters
    cells: list  # (HotspotCell, ward name or None), the most extreme first
    crime_map: maps.CrimeMap
    classes: dict


def _study_area(con, area: str, cell_size: float):
    """The bounds of the grid: the borough's extent, or the incidents' (checked for size)."""
    if area == "stockport":
        return maps.stockport_bounds_bng()
    ((min_e, min_n, max_e, max_n),) = con.execute(
        "SELECT min(easting), min(northing), max(easting), max(northing) FROM incidents"
    ).fetchall()
    if min_e is not None:
        cells = ((max_e - min_e) / cell_size + 1) * ((max_n - min_n) / cell_size + 1)
        if cells > MAX_PAGE_CELLS:
            raise ValueError(
                f"The incidents spread over too large an area for {cell_size:g} metre cells: "
                "choose bigger cells, the Stockport study area, or fewer sources"
            )
    return None


def run_hotspots(filters: dict, *, cell_size: float, radius: int, area: str) -> HotspotResult:
    """Gi* on the study area (`stockport` or `incidents`), with each cell's ward and the map.
    Shared by the hot-spot page and the API."""
    with connect() as con:
        bounds = _study_area(con, area, cell_size)
        analysis = hotspots(con, cell_size=cell_size, radius=radius, bounds=bounds, **filters)
    cells = analysis.cells() if analysis else []
    wards = maps.wards_at([c.centre_lon for c in cells], [c.centre_lat for c in cells])
    crime_map = maps.CrimeMap(
        map_id="hotspot-map",
        title="Hot and cold spots of incidents",
        description=(
            f"Map of Stockport's wards with the {len(cells):,} grid cells that are hot or cold "
            "spots, coloured by class (see the key). The table after the map lists every cell "
            "with its class, incidents and ward."
        ),
        table_id="hotspot-table",
        layer=maps.hotspot_layer(cells),
    )
    return HotspotResult(
        analysis=analysis,
        filters=Filters(**filters),
        cells=list(zip(cells, wards, strict=True)),
        crime_map=crime_map,
        classes=analysis.class_counts() if analysis else {},
    )


@dataclass(frozen=True)
class WardCounts:
    """Incidents by Stockport ward: the rows (busiest first), those outside, and the map."""

    rows: list[tuple[str, int]]
    outside: int
    crime_map: maps.CrimeMap


def ward_counts(filters: dict) -> WardCounts:
    """The incidents counted in the ward they lie in, as a choropleth and a table."""
    with connect() as con:
        lon, lat = locations(con, **filters)
    counts, outside = maps.count_by_ward(lon, lat)
    crime_map = maps.CrimeMap(
        map_id="ward-map",
        title="Incidents by ward",
        description=(
            "Map of Stockport's wards shaded by their number of incidents: the darker, the "
            "more (see the key). The table after the map gives every ward's number."
        ),
        table_id="ward-table",
        layer=maps.choropleth_layer(maps.ward_boundaries(), counts, unit="incidents"),
        boundaries=maps.NO_BOUNDARIES,  # the layer is the wards themselves
    )
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return WardCounts(rows=rows, outside=outside, crime_map=crime_map)
