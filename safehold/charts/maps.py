"""The map component: boundaries and one data layer, drawn by Leaflet in the browser and as a
server-rendered SVG without JavaScript or on paper.

Build a `CrimeMap` in the view and render it with `{% crime_map map %}` (safehold.charts
.templatetags.maps; `{% crime_map_assets %}` once in the page's head). The layer is plain
GeoJSON whose features carry what every renderer needs, worked out here once: `name`, `label`
(the words of the tooltip and popup: the feature and its number) and `fill` (its colour). The
legend is in words. Colour is never the only carrier: the label names the class or the value,
and the page's table has every number.

- `ward_boundaries()`: Stockport's 21 wards (the committed 2022 extract, OGL).
- `hotspot_layer(cells)`: Gi* cells coloured by class (safehold.hotspots.gistar).
- `choropleth_layer(features, values)`: areas shaded by a value, in equal bands from zero.
"""

import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import shapely
from django.conf import settings

from safehold.geography.services import STOCKPORT_DIR
from safehold.hotspots.gistar import LEVELS, NOT_SIGNIFICANT, HotspotCell

# Hot spots in reds, cold spots in blues, darker the more confident (ColorBrewer RdBu).
CLASS_COLOURS = {
    "hot spot 99%": "#b2182b",
    "hot spot 95%": "#ef8a62",
    "hot spot 90%": "#fddbc7",
    "cold spot 90%": "#d1e5f0",
    "cold spot 95%": "#67a9cf",
    "cold spot 99%": "#2166ac",
    NOT_SIGNIFICANT: "#f3f2f1",
}
# Light to dark blues for values; the first shade is for zero.
SHADES = ("#f3f2f1", "#c6dbef", "#6baed6", "#2171b5", "#08306b")
NO_FIGURE = "#ffffff"
COORDINATE_PLACES = 6  # about 0.1 m: finer than any boundary or cell
# For a layer that is itself the areas (a choropleth of wards): no outlines drawn under it.
NO_BOUNDARIES: dict = {"type": "FeatureCollection", "features": []}


@dataclass(frozen=True)
class LegendEntry:
    colour: str
    text: str


@dataclass(frozen=True)
class MapLayer:
    """Features (a GeoJSON FeatureCollection with `name`, `label` and `fill` properties) and the
    legend that explains their colours."""

    features: dict
    legend: tuple[LegendEntry, ...]
    title: str = ""

    def __len__(self) -> int:
        return len(self.features["features"])


@dataclass(frozen=True)
class CrimeMap:
    """One map on a page: what it shows (`title`, `description`: the text alternative), the
    boundaries under its data layer, and the id of the table with the same figures (the
    accessible equivalent, which the map's skip link leads to)."""

    map_id: str
    title: str
    description: str
    table_id: str
    layer: MapLayer
    boundaries: dict = field(default_factory=lambda: ward_boundaries())
    boundary_name: str = "Ward"

    def data(self) -> dict:
        """What map.js reads (embedded with json_script)."""
        return {
            "boundaries": self.boundaries,
            "boundaryName": self.boundary_name,
            "layer": self.layer.features,
            "tiles": {
                "url": getattr(settings, "CRIME_MAP_TILE_URL", ""),
                "attribution": getattr(settings, "CRIME_MAP_TILE_ATTRIBUTION", ""),
            },
        }


def _round(coordinates):
    if isinstance(coordinates[0], (int, float)):
        return [round(float(c), COORDINATE_PLACES) for c in coordinates]
    return [_round(c) for c in coordinates]


def _feature(geometry: dict, *, name: str, label: str, fill: str) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": geometry["type"], "coordinates": _round(geometry["coordinates"])},
        "properties": {"name": name, "label": label, "fill": fill},
    }


def _collection(features: Iterable[dict]) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


# --- Boundaries --------------------------------------------------------------------------------


@cache
def _ward_file() -> dict:
    return json.loads((STOCKPORT_DIR / "wards_2022.geojson").read_text(encoding="utf-8"))


def ward_name(feature: dict) -> str:
    """The ward's name as Safehold spells it ("and", not "&", as in the geography tables)."""
    return feature["properties"]["area_name"].replace(" & ", " and ")


def ward_boundaries() -> dict:
    """Stockport's wards as a FeatureCollection: `name`, `code` (the ONS ward code, like
    E05000779) and `label` (the name), no fill."""
    features = []
    for f in _ward_file()["features"]:
        feature = _feature(f["geometry"], name=ward_name(f), label=ward_name(f), fill="")
        feature["properties"]["code"] = f["properties"]["area_code"]
        features.append(feature)
    return _collection(features)


@cache
def _ward_shapes() -> tuple[tuple[str, ...], np.ndarray]:
    features = _ward_file()["features"]
    names = tuple(ward_name(f) for f in features)
    shapes = np.array([shapely.geometry.shape(f["geometry"]) for f in features], dtype=object)
    for shape in shapes:
        shapely.prepare(shape)
    return names, shapes


def wards_at(lon: Sequence[float], lat: Sequence[float]) -> list[str | None]:
    """The Stockport ward each point lies in (None outside the borough)."""
    names, shapes = _ward_shapes()
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    found: list[str | None] = [None] * lon.size
    for name, shape in zip(names, shapes, strict=True):
        for i in np.flatnonzero(shapely.contains_xy(shape, lon, lat)):
            found[i] = found[i] or name
    return found


def count_by_ward(lon: Sequence[float], lat: Sequence[float]) -> tuple[dict[str, int], int]:
    """How many points fall in each Stockport ward (every ward, zeros too, in the file's
    order) and how many fall outside the borough."""
    names, shapes = _ward_shapes()
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    placed = np.zeros(lon.size, dtype=bool)
    counts = {}
    for name, shape in zip(names, shapes, strict=True):
        inside = shapely.contains_xy(shape, lon, lat) & ~placed
        counts[name] = int(inside.sum())
        placed |= inside
    return counts, int((~placed).sum())


@cache
def borough_outline():
    """Stockport as one shapely geometry (the union of its wards)."""
    return shapely.union_all(_ward_shapes()[1])


# --- Data layers -------------------------------------------------------------------------------


def class_legend(classes: Iterable[str] | None = None) -> tuple[LegendEntry, ...]:
    """The hot- and cold-spot classes, most confident hot spot first."""
    wanted = set(classes) if classes is not None else set(CLASS_COLOURS)
    order = [f"hot spot {level}%" for level, _ in LEVELS] + [
        f"cold spot {level}%" for level, _ in reversed(LEVELS)
    ]
    return tuple(
        LegendEntry(CLASS_COLOURS[c], f"{c[0].upper()}{c[1:]} confidence")
        for c in order
        if c in wanted
    )


def _plural(n: int | float, unit: str) -> str:
    singular = unit[:-1] if unit.endswith("s") else unit
    return f"{n:,} {singular if n == 1 else unit}"


def hotspot_layer(cells: Sequence[HotspotCell], *, unit: str = "incidents") -> MapLayer:
    """Gi* cells as polygons coloured by class; each label names the class and the count."""
    features = [
        _feature(
            {"type": "Polygon", "coordinates": [[list(p) for p in c.polygon]]},
            name=f"Cell {c.row}, {c.col}",
            label=(
                f"{c.classification[0].upper()}{c.classification[1:]}: "
                f"{_plural(c.count, unit)} in this cell (z = {c.z:.2f})"
            ),
            fill=CLASS_COLOURS[c.classification],
        )
        for c in cells
    ]
    return MapLayer(
        _collection(features),
        class_legend({c.classification for c in cells} - {NOT_SIGNIFICANT}),
        title="Hot and cold spots",
    )


def value_band(value: float, top: float, bands: int = len(SHADES) - 1) -> int:
    """0 for zero (or less); else 1 to `bands` by equal fractions of the highest value, so
    the highest value always gets the darkest shade."""
    if value <= 0 or top <= 0:
        return 0
    return min(bands, max(1, math.ceil(bands * value / top)))


def _number(v: float) -> str:
    if float(v).is_integer():
        return f"{int(v):,}"
    return f"{v:,.2f}".rstrip("0").rstrip(".")


def choropleth_layer(
    features: dict,
    values: Mapping[str, int | float | None],
    *,
    unit: str = "incidents",
    fmt: Callable[[int | float], str] | None = None,
    title: str = "",
    key: str = "name",
) -> MapLayer:
    """Areas (a FeatureCollection whose features have a `name`, as `ward_boundaries()` gives)
    shaded by their value in `values` (by name, or by another property such as `key="code"`): zero the lightest, then four equal bands up to
    the highest value, which is always the darkest. An area without a value is white, labelled
    "no figure". Whole numbers get bands of whole numbers ("1 to 15 incidents"); others
    "more than … up to …". `fmt` writes a value (default: commas, up to 2 places)."""
    write = fmt or _number
    known = [v for v in values.values() if v is not None]
    top = max(known, default=0)
    bands = len(SHADES) - 1
    out = []
    for f in features["features"]:
        name = f["properties"]["name"]
        value = values.get(f["properties"][key])
        if value is None:
            fill, label = NO_FIGURE, f"{name}: no figure"
        else:
            fill, label = SHADES[value_band(value, top)], f"{name}: {write(value)} {unit}"
        out.append(_feature(f["geometry"], name=name, label=label, fill=fill))
    legend = [LegendEntry(SHADES[0], f"0 {unit}")]
    whole = all(float(v).is_integer() for v in known)
    for k in range(1, bands + 1):
        if whole:
            low, high = math.floor((k - 1) * top / bands) + 1, math.floor(k * top / bands)
            if top and low <= high:
                text = write(low) if low == high else f"{write(low)} to {write(high)}"
                legend.append(LegendEntry(SHADES[k], f"{text} {unit}"))
        elif top:
            low, high = (k - 1) * top / bands, k * top / bands
            legend.append(
                LegendEntry(SHADES[k], f"More than {write(low)} up to {write(high)} {unit}")
            )
    if any(values.get(f["properties"][key]) is None for f in features["features"]):
        legend.append(LegendEntry(NO_FIGURE, "No figure"))
    return MapLayer(_collection(out), tuple(legend), title=title)


# --- The server-rendered picture ---------------------------------------------------------------

SVG_WIDTH, SVG_HEIGHT = 640, 520


def _rings(geometry: dict) -> Iterable[list]:
    if geometry["type"] == "Polygon":
        yield from geometry["coordinates"]
    elif geometry["type"] == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield from polygon


def svg_shapes(crime_map: CrimeMap) -> dict:
    """Paths of the boundaries and the layer in an SVG viewBox (equirectangular, longitude
    shortened by the cosine of the latitude so shapes keep their proportions)."""
    boundaries = crime_map.boundaries["features"]
    layer = crime_map.layer.features["features"]
    points = [pt for f in boundaries or layer for ring in _rings(f["geometry"]) for pt in ring]
    if not points:
        return {"boundaries": [], "cells": [], "width": SVG_WIDTH, "height": SVG_HEIGHT}
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    min_x, max_x, min_y, max_y = min(xs), max(xs), min(ys), max(ys)
    squash = math.cos(math.radians((min_y + max_y) / 2))
    span_x, span_y = max((max_x - min_x) * squash, 1e-9), max(max_y - min_y, 1e-9)
    scale = min(SVG_WIDTH / span_x, SVG_HEIGHT / span_y)
    width, height = round(span_x * scale), round(span_y * scale)

    def path(geometry: dict) -> str:
        return " ".join(
            "M"
            + " L".join(
                f"{(x - min_x) * squash * scale:.1f},{(max_y - y) * scale:.1f}" for x, y in ring
            )
            + " Z"
            for ring in _rings(geometry)
        )

    return {
        "boundaries": [
            {"path": path(f["geometry"]), "label": f["properties"]["label"]} for f in boundaries
        ],
        "cells": [
            {
                "path": path(f["geometry"]),
                "label": f["properties"]["label"],
                "fill": f["properties"]["fill"],
            }
            for f in layer
        ],
        "width": width,
        "height": height,
    }


@cache
def stockport_bounds_bng() -> tuple[float, float, float, float]:
    """The borough's extent in BNG metres (min e, min n, max e, max n): the default study area
    of the incident hot-spot map."""
    from safehold.hotspots.grid import to_bng

    points = [pt for f in _ward_file()["features"] for ring in _rings(f["geometry"]) for pt in ring]
    east, north = to_bng([p[0] for p in points], [p[1] for p in points])
    return (float(east.min()), float(north.min()), float(east.max()), float(north.max()))
