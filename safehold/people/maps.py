"""The map on a place's page: the place, drawn as a small square at its coordinates, inside
the outline of its ward (Stockport's wards, shipped), with the shared map component (Leaflet
served from Safehold's own static files, so it works offline; a server-drawn picture without
JavaScript)."""

import math

from safehold.charts.maps import NO_BOUNDARIES, CrimeMap, LegendEntry, MapLayer, ward_boundaries
from safehold.people.models import Location

HALF_SIDE_M = 30.0  # the square drawn for the place: 60 m across, visible at a ward's scale
METRES_PER_DEGREE = 111_320.0
PLACE_COLOUR = "#d4351c"


def _square(latitude: float, longitude: float) -> list[list[list[float]]]:
    dlat = HALF_SIDE_M / METRES_PER_DEGREE
    dlon = HALF_SIDE_M / (METRES_PER_DEGREE * math.cos(math.radians(latitude)))
    ring = [
        [longitude - dlon, latitude - dlat],
        [longitude + dlon, latitude - dlat],
        [longitude + dlon, latitude + dlat],
        [longitude - dlon, latitude + dlat],
        [longitude - dlon, latitude - dlat],
    ]
    return [[[round(x, 6), round(y, 6)] for x, y in ring]]


def place_map(location: Location) -> CrimeMap | None:
    """The place's map, or None when its coordinates are not known."""
    if location.latitude is None or location.longitude is None:
        return None
    lat, lon = float(location.latitude), float(location.longitude)
    label = "This place"
    feature = {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": _square(lat, lon)},
        "properties": {"name": label, "label": label, "fill": PLACE_COLOUR},
    }
    boundaries = NO_BOUNDARIES
    ward_name = ""
    if location.ward_id:
        wards = [
            f for f in ward_boundaries()["features"] if f["properties"]["code"] == location.ward_id
        ]
        if wards:
            boundaries = {"type": "FeatureCollection", "features": wards}
            ward_name = wards[0]["properties"]["name"]
    where = f"in {ward_name} ward, whose outline is drawn" if ward_name else "at its coordinates"
    return CrimeMap(
        map_id="place-map",
        title="Where this place is",
        description=f"The place is marked by a red square {where}. Its coordinates are in the "
        "table above.",
        table_id="place-details",
        layer=MapLayer(
            {"type": "FeatureCollection", "features": [feature]},
            (LegendEntry(PLACE_COLOUR, "This place"),),
            title="This place",
        ),
        boundaries=boundaries,
        boundary_name="Ward",
    )
