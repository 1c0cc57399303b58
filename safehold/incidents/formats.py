"""The analyses as CSV and JSON (shapes in docs/formats/incidents-csv.md, "Analyses")."""

import io
import json

from safehold.core.exports import csv_writer
from safehold.hotspots.formats import cells_csv
from safehold.hotspots.gistar import LEVELS, HotspotAnalysis
from safehold.incidents.analysis import DayRow, HeatMap, Seasonal

FORMATS = ("csv", "json")


def _csv(rows: list[list]) -> str:
    out = io.StringIO()
    csv_writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _json(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _round(value: float | None, places: int = 4) -> float | None:
    return None if value is None else round(value, places)


def heatmap_dict(h: HeatMap) -> dict:
    return {
        "filters": h.filters.as_dict(),
        "time_zone": "Europe/London",
        "total": h.total,
        "days": list(h.days),
        "hours": list(h.hours),
        "counts": [list(row) for row in h.counts],
        "day_totals": list(h.day_totals),
        "hour_totals": list(h.hour_totals),
        "peak_days": list(h.peak_days),
        "peak_hours": list(h.peak_hours),
        "peak_slots": [
            {"day": s.day, "hour": s.hour, "incidents": s.incidents} for s in h.peak_slots
        ],
    }


def heatmap_csv(h: HeatMap) -> str:
    """One row per day (Monday first), a column per hour (00-23) and the day's total."""
    rows = [["day", *(f"{hour:02d}" for hour in h.hours), "total"]]
    rows += [
        [day, *counts, total]
        for day, counts, total in zip(h.days, h.counts, h.day_totals, strict=True)
    ]
    rows.append(["total", *h.hour_totals, h.total])
    return _csv(rows)


def _day(d: DayRow) -> dict:
    return {
        "month": d.month,
        "day": d.day,
        "label": d.label,
        "incidents": d.incidents,
        "occurrences": d.occurrences,
        "per_day": _round(d.per_day),
        "month_per_day": _round(d.month_per_day),
        "ratio": _round(d.ratio),
    }


def seasonal_dict(s: Seasonal) -> dict:
    return {
        "filters": s.filters.as_dict(),
        "period": {
            "from": s.period_from.isoformat() if s.period_from else None,
            "to": s.period_to.isoformat() if s.period_to else None,
        },
        "total": s.total,
        "months": [
            {
                "month": m.month,
                "name": m.name,
                "incidents": m.incidents,
                "days": m.days,
                "per_day": _round(m.per_day),
            }
            for m in s.months
        ],
        "peak_months": list(s.peak_months),
        "summer": {
            "months": "June to August",
            "incidents": s.summer.incidents,
            "days": s.summer.days,
            "per_day": _round(s.summer.per_day),
            "rest_of_year_incidents": s.summer.rest_incidents,
            "rest_of_year_days": s.summer.rest_days,
            "rest_of_year_per_day": _round(s.summer.rest_per_day),
            "ratio": _round(s.summer.ratio),
        },
        "call_outs": [_day(d) for d in s.call_outs],
        "around": [_day(d) for d in s.around],
    }


def seasonal_csv(s: Seasonal) -> str:
    """Long format: section, label, incidents, days, per day, ratio to the comparison."""
    rows = [["section", "label", "incidents", "days", "per_day", "ratio"]]
    rows += [["month", m.name, m.incidents, m.days, _round(m.per_day), ""] for m in s.months]
    sm = s.summer
    rows.append(
        ["summer", "June to August", sm.incidents, sm.days, _round(sm.per_day), _round(sm.ratio)]
    )
    rows.append(
        ["summer", "rest of the year", sm.rest_incidents, sm.rest_days, _round(sm.rest_per_day), ""]
    )
    for section, days in (("call_out", s.call_outs), ("around", s.around)):
        rows += [
            [section, d.label, d.incidents, d.occurrences, _round(d.per_day), _round(d.ratio)]
            for d in days
        ]
    return _csv(rows)


def hotspots_geojson(a: HotspotAnalysis | None, *, all_cells: bool = False, filters=None) -> dict:
    """A GeoJSON FeatureCollection of the hot and cold cells (or every cell), with the grid
    and the method as a foreign member `safehold` (RFC 7946 section 6.1)."""
    cells = a.cells(only_significant=not all_cells) if a else []
    meta = {
        "filters": filters.as_dict() if filters else None,
        "method": "Getis-Ord Gi*, binary weights on the square of cells around each cell",
        "fdr": "Benjamini-Hochberg over every cell",
        "levels": {f"{level}%": q for level, q in LEVELS},
    }
    if a:
        g = a.grid
        meta |= {
            "cell_size_m": g.cell_size,
            "radius": a.radius,
            "origin_bng": [g.origin_easting, g.origin_northing],
            "shape": list(g.shape),
            "incidents": int(g.counts.sum()),
            "classes": a.class_counts(),
        }
    return {
        "type": "FeatureCollection",
        "safehold": meta,
        "features": [c.as_feature() for c in cells],
    }


def hotspots_csv(a: HotspotAnalysis | None, *, all_cells: bool = False) -> str:
    """One row per hot or cold cell (or every cell), the most extreme z first."""
    return cells_csv(a.cells(only_significant=not all_cells) if a else [])


def render(kind: str, result, fmt: str, *, all_cells: bool = False) -> str:
    if kind == "heatmap":
        return _json(heatmap_dict(result)) if fmt == "json" else heatmap_csv(result)
    if kind == "seasonal":
        return _json(seasonal_dict(result)) if fmt == "json" else seasonal_csv(result)
    analysis, filters = result
    if fmt == "json":
        return _json(hotspots_geojson(analysis, all_cells=all_cells, filters=filters))
    return hotspots_csv(analysis, all_cells=all_cells)
