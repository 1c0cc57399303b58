"""Hot spots of police.uk street rows: their anonymised points counted on a British National
Grid (safehold.hotspots.grid) and Getis-Ord Gi* with a false-discovery-rate correction
(safehold.hotspots.gistar), for the same filters as every other analysis.

The study area, which Gi* depends on (every cell of it counts, empty ones too), is one of:
`area` (the default: the extent of the area filtered on — Stockport's from the committed ward
boundaries the maps draw, so the borough's grid is the incident logs' grid; any other Greater
Manchester area's from its 2021 LSOAs' boundaries, since its crimes are those of its LSOAs,
and a ward's best-fit LSOAs can reach past its own boundary; else the points' own extent),
`borough` (Stockport's extent whatever the area) or `points` (the points' own extent).
Points outside it are not counted, and the result says how many. docs/formats/hotspots.md.
"""

# ruff: noqa: S608 -- SQL is built from fixed fragments; values are validated and quoted.

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely

from safehold.analytics.store import run
from safehold.charts import maps
from safehold.crime import queries
from safehold.hotspots.formats import cells_csv
from safehold.hotspots.gistar import (
    LEVELS,
    HotspotAnalysis,
    HotspotCell,
    analyse_grid,
)
from safehold.hotspots.grid import DEFAULT_CELL_SIZE, Bounds, points_to_grid, to_bng

# What every hot-spot map of police.uk data says beside it.
LOCATION_NOTE = (
    "Police.uk does not publish where a crime happened: each crime is moved to a nearby "
    "anonymous map point (the centre of a street, a public place or a commercial premises) "
    "whose catchment holds at least eight postal addresses, or none. Counts per cell are "
    "therefore approximate: a crime can be counted in a neighbouring cell, and cells with many "
    "map points gather the crimes of the streets around them."
)
BOROUGH_CODE = "E08000007"  # Stockport
STUDY_AREAS = {
    "area": "the extent of the area chosen",
    "borough": "the extent of Stockport",
    "points": "the crimes' own extent",
}
ALPHAS = (0.10, 0.05, 0.01)  # the q-value at or below which a cell is shown (90, 95, 99%)
RADII = (1, 2)
# The most cells a grid may have here (Stockport at 100 metres is about 29,000).
MAX_CELLS = 2_000_000


@dataclass(frozen=True, eq=False)
class PoliceHotspots:
    """Gi* over the points of the rows selected: the analysis of the whole grid, the hot and
    cold cells with q at or below `alpha` (most extreme first), and what was counted."""

    analysis: HotspotAnalysis | None  # None when there are no points and no study area
    cells: list[HotspotCell]
    cell_size: float
    radius: int
    alpha: float
    study_area: str
    bounds: Bounds | None  # the study area asked for (BNG metres), before widening to cells
    points: int  # rows selected that have coordinates
    without_coordinates: int
    filters: dict = field(default_factory=dict)

    @property
    def counted(self) -> int:
        return int(self.analysis.grid.counts.sum()) if self.analysis else 0

    @property
    def outside(self) -> int:
        return self.analysis.grid.outside if self.analysis else 0

    def classes(self) -> dict[str, int]:
        return self.analysis.class_counts() if self.analysis else {}

    def meta(self) -> dict:
        """The grid, the method and what was counted (the GeoJSON's `safehold` member)."""
        meta = {
            "filters": self.filters,
            "method": "Getis-Ord Gi*, binary weights on the square of cells around each cell",
            "fdr": "Benjamini-Hochberg over every cell",
            "levels": {f"{level}%": q for level, q in LEVELS},
            "alpha": self.alpha,
            "cell_size_m": self.cell_size,
            "radius": self.radius,
            "study_area": self.study_area,
            "bounds_bng": list(self.bounds) if self.bounds else None,
            "crimes": self.points,
            "counted": self.counted,
            "outside": self.outside,
            "without_coordinates": self.without_coordinates,
            "location_note": LOCATION_NOTE,
        }
        if self.analysis:
            g = self.analysis.grid
            meta |= {
                "origin_bng": [g.origin_easting, g.origin_northing],
                "shape": list(g.shape),
                "classes": self.classes(),
            }
        return meta

    def geojson(self) -> dict:
        """A GeoJSON FeatureCollection (RFC 7946, WGS84) of the cells shown, with the grid and
        method as the foreign member `safehold`."""
        return {
            "type": "FeatureCollection",
            "safehold": self.meta(),
            "features": [c.as_feature() for c in self.cells],
        }

    def csv(self) -> str:
        return cells_csv(self.cells)

    def rows(self) -> list[dict]:
        """The cells shown as plain rows (the JSON document's), without their polygons."""
        return [
            {
                "row": c.row,
                "col": c.col,
                "class": c.classification,
                "count": c.count,
                "z": c.z,
                "p": c.p,
                "q": c.q,
                "centre_lon": c.centre_lon,
                "centre_lat": c.centre_lat,
                "centre_easting": c.centre_easting,
                "centre_northing": c.centre_northing,
            }
            for c in self.cells
        ]


def area_bounds(con, area: queries.Area | None) -> Bounds | None:
    """The extent of an area in BNG metres, or None when Safehold has no boundary for it (an
    area outside Greater Manchester, a country, a force)."""
    if area is None or area.level in ("force", "country"):
        return None
    if area.code == BOROUGH_CODE:
        return maps.stockport_bounds_bng()
    from safehold.geography.placement import projected_boundaries

    condition = queries.lad_condition(area)
    wanted = {c for (c,) in run(con, f"SELECT l.lsoa21_code FROM lsoa21 l WHERE {condition}")}
    codes, shapes = projected_boundaries()
    chosen = [shape for code, shape in zip(codes, shapes, strict=True) if code in wanted]
    if not chosen:
        return None
    west, south, east, north = shapely.total_bounds(np.array(chosen, dtype=object))
    return (float(west), float(south), float(east), float(north))


def _check(cell_size: float, radius: int, alpha: float, study_area: str) -> None:
    if not (isinstance(cell_size, (int, float)) and 10 <= cell_size <= 10_000):
        raise queries.QueryError("cell_size must be between 10 and 10,000 metres", "cell_size")
    if radius not in RADII:
        raise queries.QueryError("radius must be 1 or 2 cells", "radius")
    if not any(abs(alpha - a) < 1e-9 for a in ALPHAS):
        raise queries.QueryError("alpha must be 0.10, 0.05 or 0.01", "alpha")
    if study_area not in STUDY_AREAS:
        raise queries.QueryError(
            f"study_area must be one of {', '.join(STUDY_AREAS)}", "study_area"
        )


def police_hotspots(
    con,
    *,
    start: str | None = None,
    end: str | None = None,
    crime_types: Sequence[str] = (),
    area: str | None = None,
    cell_size: float = DEFAULT_CELL_SIZE,
    radius: int = 1,
    alpha: float = 0.10,
    study_area: str = "area",
) -> PoliceHotspots:
    """Gi* hot and cold spots of the street rows the filters select (see the module's note on
    the study area). Raises queries.QueryError for arguments it cannot use."""
    _check(cell_size, radius, alpha, study_area)
    found = queries.find_area(con, area) if area else None
    points = queries.street_points(con, start=start, end=end, crime_types=crime_types, area=area)
    if study_area == "borough":
        bounds = maps.stockport_bounds_bng()
    elif study_area == "area":
        bounds = area_bounds(con, found)
    else:
        bounds = None
    filters = {"from": start, "to": end, "crime_types": list(crime_types), "area": area}
    common = {
        "cell_size": float(cell_size),
        "radius": radius,
        "alpha": alpha,
        "study_area": study_area,
        "bounds": bounds,
        "points": len(points),
        "without_coordinates": points.without_coordinates,
        "filters": filters,
    }
    if not len(points) and bounds is None:
        return PoliceHotspots(analysis=None, cells=[], **common)
    east, north = to_bng(points.longitude, points.latitude)
    extent = bounds or (east.min(), north.min(), east.max(), north.max())
    cells = ((extent[2] - extent[0]) / cell_size + 1) * ((extent[3] - extent[1]) / cell_size + 1)
    if cells > MAX_CELLS:
        raise queries.QueryError(
            f"The crimes spread over too large an area for {cell_size:g} metre cells: choose "
            "bigger cells, a smaller area or Stockport's extent",
            "cell_size",
        )
    grid = points_to_grid(east, north, crs="bng", cell_size=cell_size, bounds=bounds)
    analysis = analyse_grid(grid, radius=radius)
    shown = [c for c in analysis.cells() if c.q <= alpha + 1e-12]
    return PoliceHotspots(analysis=analysis, cells=shown, **common)
