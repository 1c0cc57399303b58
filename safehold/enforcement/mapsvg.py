"""The bundle's map: the premises at the centre and the partner incidents within MAP_RADIUS_M,
drawn as SVG on the server (nothing fetched, no tiles: it prints and works offline). The bundle
gives the same incidents as a table beside it (counts by type and distance)."""

import math
from collections import Counter
from dataclasses import dataclass

from django.utils.html import escape

from safehold.enforcement.chronology import AT_PREMISES_M, Incident, distance_m

SIZE = 600  # the drawing's width and height in its own units
MARGIN = 30
SCALE_BAR_M = 100


@dataclass(frozen=True)
class BundleMap:
    svg: str  # safe markup
    shown: int
    rows: list[tuple[str, int, int]]  # (type, at the premises, nearby)
    radius_m: int
    placed_by: str


def _offset_m(lat0: float, lon0: float, lat: float, lon: float) -> tuple[float, float]:
    east = math.radians(lon - lon0) * math.cos(math.radians(lat0)) * 6_371_000
    north = math.radians(lat - lat0) * 6_371_000
    return east, north


def draw(
    latitude: float,
    longitude: float,
    incidents: list[Incident],
    radius_m: int,
    *,
    placed_by: str = "its recorded coordinates",
) -> BundleMap:
    """The map of the premises at (latitude, longitude) and the incidents around it."""
    scale = (SIZE / 2 - MARGIN) / radius_m  # drawing units per metre
    centre = SIZE / 2
    dots, counts_at, counts_near = [], Counter(), Counter()
    for incident in incidents:
        if incident.latitude is None or incident.longitude is None:
            continue
        metres = distance_m(latitude, longitude, incident.latitude, incident.longitude)
        if metres > radius_m:
            continue
        east, north = _offset_m(latitude, longitude, incident.latitude, incident.longitude)
        at_premises = metres <= AT_PREMISES_M
        (counts_at if at_premises else counts_near)[incident.type] += 1
        x, y = centre + east * scale, centre - north * scale
        colour = "#d4351c" if at_premises else "#1d70b8"
        dots.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{colour}" '
            'fill-opacity="0.75" stroke="#0b0c0c" stroke-width="0.5"/>'
        )
    ring = radius_m * scale
    bar = SCALE_BAR_M * scale
    shown = sum(counts_at.values()) + sum(counts_near.values())
    description = (
        f"The premises at the centre and {shown} partner incidents within {radius_m} metres: "
        f"{sum(counts_at.values())} within {AT_PREMISES_M} metres of the premises (red) and "
        f"{sum(counts_near.values())} further away (blue). The table below has the same counts."
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" width="150mm" '
        f'height="150mm" role="img" aria-labelledby="bundle-map-title">'
        f'<title id="bundle-map-title">{escape(description)}</title>'
        f'<rect x="0" y="0" width="{SIZE}" height="{SIZE}" fill="#f3f2f1" stroke="#0b0c0c"/>'
        f'<circle cx="{centre}" cy="{centre}" r="{ring:.1f}" fill="none" stroke="#505a5f" '
        'stroke-dasharray="6 4"/>'
        f'<circle cx="{centre}" cy="{centre}" r="{AT_PREMISES_M * scale:.1f}" fill="none" '
        'stroke="#d4351c"/>'
        + "".join(dots)
        + f'<rect x="{centre - 7}" y="{centre - 7}" width="14" height="14" fill="#0b0c0c"/>'
        f'<text x="{centre + 12}" y="{centre - 10}" font-size="16" font-family="sans-serif">'
        "Premises</text>"
        f'<line x1="{MARGIN}" y1="{SIZE - MARGIN}" x2="{MARGIN + bar:.1f}" y2="{SIZE - MARGIN}" '
        'stroke="#0b0c0c" stroke-width="3"/>'
        f'<text x="{MARGIN}" y="{SIZE - MARGIN - 8}" font-size="14" font-family="sans-serif">'
        f"{SCALE_BAR_M} metres</text>"
        f'<text x="{SIZE - MARGIN}" y="{MARGIN + 14}" font-size="18" font-family="sans-serif" '
        'text-anchor="middle">N ↑</text>'
        f'<text x="{centre}" y="{centre - ring - 6:.1f}" font-size="13" font-family="sans-serif" '
        f'text-anchor="middle">{radius_m} metres</text>'
        "</svg>"
    )
    types = sorted(set(counts_at) | set(counts_near))
    rows = [(t, counts_at[t], counts_near[t]) for t in types]
    return BundleMap(svg, shown, rows, radius_m, placed_by)
