"""`{% load maps %}`: `{% crime_map_assets %}` (Leaflet and map.js, once per page, in the head
block) and `{% crime_map map %}` (one map: safehold.charts.maps.CrimeMap);
`{% crime_map map static=True %}` draws only the server-rendered picture, for printing. And
`{% ward_map table "id" %}`: the evaluation report's server-rendered SVG map of Stockport's
wards shaded by their number of cases."""

import json
import math
from functools import cache

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

from safehold.charts.maps import CrimeMap, svg_shapes
from safehold.geography.services import STOCKPORT_DIR

register = template.Library()


@register.simple_tag
def crime_map_assets() -> str:
    return format_html(
        '<link rel="stylesheet" href="{}">\n'
        '<link rel="stylesheet" href="{}">\n'
        '<script src="{}" defer></script>\n'
        '<script src="{}" defer></script>',
        static("leaflet/leaflet.css"),
        static("crime/crime.css"),
        static("leaflet/leaflet.js"),
        static("crime/map.js"),
    )


@register.inclusion_tag("charts/_map.html")
def crime_map(crime_map: CrimeMap, static: bool = False) -> dict:
    return {
        "map": crime_map,
        "data": None if static else crime_map.data(),
        "data_id": f"{crime_map.map_id}-data",
        "svg": svg_shapes(crime_map),
        "static": static,
    }


# --- The evaluation report's ward map -------------------------------------------------------
# Each ward shaded by its number of cases, named and numbered in its tooltip, with a legend in
# words; the table beside it has the same numbers.

WIDTH, HEIGHT = 420, 360
SHADES = ["#f3f2f1", "#c6dbef", "#6baed6", "#2171b5", "#08306b"]


@cache
def _wards() -> dict[str, list]:
    """Ward name -> list of polygons (lists of (lon, lat) rings), from the shipped extract."""
    data = json.loads((STOCKPORT_DIR / "wards_2022.geojson").read_text())
    wards = {}
    for feature in data["features"]:
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"]
            if geometry["type"] == "MultiPolygon"
            else [geometry["coordinates"]]
        )
        wards[feature["properties"]["area_name"].replace(" & ", " and ")] = polygons
    return wards


def _shade(value: int, top: int) -> tuple[str, int]:
    if value <= 0 or top <= 0:
        return SHADES[0], 0
    band = min(len(SHADES) - 1, 1 + math.floor((len(SHADES) - 1) * (value - 1) / max(top, 1)))
    return SHADES[band], band


@register.inclusion_tag("charts/_ward_map.html")
def ward_map(table, map_id: str) -> dict:
    counts = {label: value for label, value in table.rows if isinstance(value, int)}
    wards = _wards()
    points = [
        pt for polygons in wards.values() for polygon in polygons for ring in polygon for pt in ring
    ]
    if not points:
        return {"shapes": []}
    min_x, max_x = min(p[0] for p in points), max(p[0] for p in points)
    min_y, max_y = min(p[1] for p in points), max(p[1] for p in points)
    squash = math.cos(math.radians((min_y + max_y) / 2))  # degrees of longitude are shorter here
    scale = min(WIDTH / ((max_x - min_x) * squash), HEIGHT / (max_y - min_y))
    top = max(counts.values(), default=0)
    shapes = []
    for name, polygons in sorted(wards.items()):
        path = " ".join(
            "M"
            + " L".join(
                f"{(x - min_x) * squash * scale:.1f},{(max_y - y) * scale:.1f}" for x, y in ring
            )
            + " Z"
            for polygon in polygons
            for ring in polygon
        )
        value = counts.get(name, 0)
        colour, band = _shade(value, top)
        shapes.append({"name": name, "cases": value, "path": path, "colour": colour, "band": band})
    legend = [
        {"colour": SHADES[0], "text": "No cases"},
        *(
            {
                "colour": c,
                "text": f"{'More' if i > 1 else 'Fewer'} cases"
                if i in (1, len(SHADES) - 1)
                else "",
            }
            for i, c in enumerate(SHADES)
            if i
        ),
    ]
    return {
        "shapes": shapes,
        "map_id": map_id,
        "width": WIDTH,
        "height": HEIGHT,
        "legend": legend,
        "top": top,
    }
