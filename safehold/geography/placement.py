"""Placing points that have no LSOA by their coordinates.

Inside Greater Manchester a point is in the LSOA 2021 whose (generalised) boundary holds it,
found with a shapely STRtree; elsewhere it is given the LSOA 2011 whose population-weighted
centroid is nearest (a scipy cKDTree in British National Grid metres), when those centroids
have been loaded (`safehold geography load`) and one lies within `MAX_CENTROID_DISTANCE_M`.
A point that neither finds stays unplaced.
"""

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import shapely
from scipy.spatial import cKDTree

from safehold.geography.boundaries import (
    BOUNDARIES_FILE,
    TO_BNG,
    shipped_in_metres,
    write_projected_boundaries,
)
from safehold.geography.layers import ensure_loaded, geography_dir

# A point further than this from every centroid (at sea, in Scotland or Northern Ireland) is not
# placed; rural LSOAs are large, so the limit is generous.
MAX_CENTROID_DISTANCE_M = 5_000.0
# Generalised boundaries leave slivers along their edges: a point this close to one GM LSOA
# and inside none is given the nearest, when no centroids are loaded to decide.
BOUNDARY_SLACK_M = 50.0


@dataclass(frozen=True)
class Placed:
    """The codes found for a batch of points (None where unplaced) and how each was found."""

    codes: list[str | None]
    by_boundary: int
    by_centroid: int
    unplaced: int


class Placer:
    """Finds the LSOA of points given as longitude and latitude (WGS84)."""

    def __init__(
        self,
        boundary_codes: list[str],
        boundaries: np.ndarray,
        centroid_codes: list[str],
        centroids: np.ndarray,
        max_centroid_distance: float = MAX_CENTROID_DISTANCE_M,
    ):
        self.boundary_codes = np.asarray(boundary_codes, dtype=object)
        self.boundaries = boundaries
        self.tree = shapely.STRtree(boundaries)
        self.centroid_codes = np.asarray(centroid_codes, dtype=object)
        self.centroid_tree = cKDTree(centroids) if len(centroids) else None
        self.max_centroid_distance = max_centroid_distance

    def place(self, longitude: np.ndarray, latitude: np.ndarray) -> Placed:
        longitude = np.asarray(longitude, dtype=float)
        latitude = np.asarray(latitude, dtype=float)
        n = len(longitude)
        codes = np.full(n, None, dtype=object)
        if n == 0:
            return Placed([], 0, 0, 0)
        x, y = TO_BNG.transform(longitude, latitude)
        points = shapely.points(x, y)
        point_index, boundary_index = self.tree.query(points, predicate="within")
        # A point on a shared edge is in two boundaries: keep the first, as STRtree lists them.
        first = np.unique(point_index, return_index=True)[1]
        codes[point_index[first]] = self.boundary_codes[boundary_index[first]]
        by_boundary = len(first)
        rest = np.flatnonzero(codes == None)  # noqa: E711 (an object array, compared elementwise)
        by_centroid = 0
        if len(rest) and self.centroid_tree is not None:
            distance, nearest = self.centroid_tree.query(
                np.column_stack([x[rest], y[rest]]),
                distance_upper_bound=self.max_centroid_distance,
            )
            found = np.isfinite(distance)
            codes[rest[found]] = self.centroid_codes[nearest[found]]
            by_centroid = int(found.sum())
        elif len(rest):
            near_point, near_boundary = self.tree.query_nearest(
                points[rest], max_distance=BOUNDARY_SLACK_M, all_matches=False
            )
            codes[rest[near_point]] = self.boundary_codes[near_boundary]
            by_boundary += len(near_point)
        placed = codes.tolist()
        return Placed(placed, by_boundary, by_centroid, sum(c is None for c in placed))


@functools.lru_cache(maxsize=4)
def _cached_boundaries(path: Path, mtime: float) -> tuple[list[str], np.ndarray]:
    if path.exists():
        table = pq.read_table(path)
        return table.column("code").to_pylist(), shapely.from_wkb(
            table.column("wkb").to_numpy(zero_copy_only=False)
        )
    return shipped_in_metres()


def projected_boundaries(root: Path | None = None) -> tuple[list[str], np.ndarray]:
    """The GM LSOA 2021 codes and their generalised boundaries in BNG metres (shapely)."""
    ensure_loaded(root)
    projected = geography_dir(root) / "gm" / BOUNDARIES_FILE
    if not projected.exists():
        write_projected_boundaries(projected)
    return _cached_boundaries(projected, projected.stat().st_mtime)


def placer(root: Path | None = None) -> Placer:
    """A placer over the shipped GM boundaries and any loaded England and Wales centroids."""
    codes, shapes = projected_boundaries(root)
    path = geography_dir(root) / "ew" / "lsoa11_centroids.parquet"
    centroid_codes: list[str] = []
    centroids = np.empty((0, 2))
    if path.exists():
        table = pq.read_table(path)
        centroid_codes = table.column("lsoa11_code").to_pylist()
        centroids = np.column_stack(
            [table.column("easting").to_numpy(), table.column("northing").to_numpy()]
        )
    return Placer(codes, shapes, centroid_codes, centroids)
