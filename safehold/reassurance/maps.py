"""The planner's map: the premises, the circle of the distance chosen and every address inside
it, with the shared map component (offline Leaflet, and a server-drawn picture for print)."""

from safehold.charts.maps import NO_BOUNDARIES, CrimeMap, LegendEntry, MapLayer
from safehold.reassurance import geometry

HALF_SIDE_M = 6.0  # each address drawn as a 12 m square
PREMISES, ADDRESS, RADIUS = "#d4351c", "#1d70b8", "#f3f2f1"


def _square(easting: float, northing: float, half: float) -> list[list[list[float]]]:
    corners = [(-1, -1), (1, -1), (1, 1), (-1, 1), (-1, -1)]
    ring = []
    for dx, dy in corners:
        lat, lon = geometry.to_wgs84(easting + dx * half, northing + dy * half)
        ring.append([lon, lat])
    return [ring]


def _feature(rings, name: str, fill: str) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": rings},
        "properties": {"name": name, "label": name, "fill": fill},
    }


def planner_map(centre, radius_m: int, addresses, *, table_id: str) -> CrimeMap:
    """The premises (red), the distance (a grey circle) and the addresses (blue squares);
    `addresses` have `easting`, `northing` and `one_line`... or are deliveries of a batch."""
    features = [_feature([geometry.circle(centre, radius_m)], f"Within {radius_m} metres", RADIUS)]
    for a in addresses:
        features.append(_feature(_square(a.easting, a.northing, HALF_SIDE_M), a.one_line, ADDRESS))
    features.append(_feature(_square(*centre, HALF_SIDE_M * 2), "The premises", PREMISES))
    return CrimeMap(
        map_id="planner-map",
        title=f"Addresses within {radius_m} metres of the premises",
        description=f"The premises is the red square; the grey circle is {radius_m} metres "
        f"around it; each of the {len(addresses)} addresses in the table is a blue square.",
        table_id=table_id,
        layer=MapLayer(
            {"type": "FeatureCollection", "features": features},
            (
                LegendEntry(PREMISES, "The premises"),
                LegendEntry(ADDRESS, "An address"),
                LegendEntry(RADIUS, f"Within {radius_m} metres"),
            ),
            title="Addresses",
        ),
        boundaries=NO_BOUNDARIES,
        boundary_name="Ward",
    )
