"""Points to a regular grid of counts in British National Grid metres, and cells back to polygons.

A grid is aligned to whole multiples of its cell size from the BNG false origin, so a cell has
the same bounds whatever points, period or filters built the grid: cell (row, col) covers
eastings [origin_e + col·size, origin_e + (col+1)·size) and northings
[origin_n + row·size, origin_n + (row+1)·size). Row 0 is the southernmost row, column 0 the
westernmost. See docs/formats/hotspots.md.

WGS84 ↔ BNG uses pyproj with PROJ's best available transformation. With PROJ's bundled data
that is the 7-parameter Helmert "OSGB36 to WGS 84 (6)" (about 2 m); with the Ordnance Survey's
OSTN15 grid (`uk_os_OSTN15_NTv2_OSGBtoETRS.tif`) in PROJ's data directory it is OSTN15 (about
0.1 m). Either is far finer than a 250 m cell or police.uk's anonymised locations.
"""

import warnings
from dataclasses import dataclass
from functools import cache
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from pyproj import CRS, Transformer
from pyproj.transformer import TransformerGroup

WGS84 = "EPSG:4326"
BNG = "EPSG:27700"
DEFAULT_CELL_SIZE = 250.0
# The square sizes the pages and the API offer (metres).
CELL_SIZES = (100, 250, 500, 1000)
# Where EPSG defines British National Grid (onshore Great Britain and the UK shelf),
# as (west, south, east, north) in degrees.
BNG_AREA_OF_USE: tuple[float, float, float, float] = CRS(BNG).area_of_use.bounds
# The most cells a grid may have: 100 million float64 cells is 800 MB; refuse before that.
MAX_CELLS = 25_000_000

Bounds = tuple[float, float, float, float]


@cache
def _transformer(source: str, target: str) -> Transformer:
    with warnings.catch_warnings():
        # pyproj warns that OSTN15 is not installed; the Helmert fallback is documented above.
        warnings.simplefilter("ignore", UserWarning)
        return Transformer.from_crs(source, target, always_xy=True)


def to_bng(lon: ArrayLike, lat: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 longitude/latitude (degrees) to BNG easting/northing (metres), as float arrays."""
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    easting, northing = _transformer(WGS84, BNG).transform(lon, lat)
    return np.asarray(easting, dtype=float), np.asarray(northing, dtype=float)


def to_wgs84(easting: ArrayLike, northing: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """BNG easting/northing (metres) to WGS84 longitude/latitude (degrees), as float arrays."""
    easting, northing = np.asarray(easting, dtype=float), np.asarray(northing, dtype=float)
    lon, lat = _transformer(BNG, WGS84).transform(easting, northing)
    return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)


def transformation_description() -> str:
    """Which WGS84 → BNG operation PROJ uses here (for the docs and the page's small print).

    PROJ picks per point among the usable operations, best first; in Great Britain that is the
    first of the group.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return TransformerGroup(WGS84, BNG, always_xy=True).transformers[0].description


@dataclass(frozen=True)
class Grid:
    """Counts per cell (rows south to north, columns west to east) and where the grid lies.

    `outside` is the number of points that fell outside the requested bounds and were not
    counted; `origin_easting`/`origin_northing` is the south-west corner of cell (0, 0).
    """

    counts: np.ndarray
    origin_easting: float
    origin_northing: float
    cell_size: float
    outside: int = 0

    @property
    def shape(self) -> tuple[int, int]:
        return self.counts.shape

    @property
    def bounds(self) -> Bounds:
        """(min easting, min northing, max easting, max northing) of the whole grid."""
        rows, cols = self.counts.shape
        return (
            self.origin_easting,
            self.origin_northing,
            self.origin_easting + cols * self.cell_size,
            self.origin_northing + rows * self.cell_size,
        )

    def cell_of(self, easting: ArrayLike, northing: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        """The (row, col) of each point; -1 for a point outside the grid."""
        e, n = np.asarray(easting, dtype=float), np.asarray(northing, dtype=float)
        col = np.floor((e - self.origin_easting) / self.cell_size).astype(np.int64)
        row = np.floor((n - self.origin_northing) / self.cell_size).astype(np.int64)
        rows, cols = self.counts.shape
        inside = (row >= 0) & (row < rows) & (col >= 0) & (col < cols)
        return np.where(inside, row, -1), np.where(inside, col, -1)

    def cell_bounds(self, row: ArrayLike, col: ArrayLike) -> np.ndarray:
        """BNG bounds of cells as an array (..., 4): min e, min n, max e, max n."""
        row, col = np.asarray(row), np.asarray(col)
        west = self.origin_easting + col * self.cell_size
        south = self.origin_northing + row * self.cell_size
        return np.stack([west, south, west + self.cell_size, south + self.cell_size], axis=-1)

    def cell_centres_bng(self, row: ArrayLike, col: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        row, col = np.asarray(row), np.asarray(col)
        half = self.cell_size / 2
        return (
            self.origin_easting + col * self.cell_size + half,
            self.origin_northing + row * self.cell_size + half,
        )

    def cell_centres_wgs84(self, row: ArrayLike, col: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        """Longitude and latitude of cell centres."""
        return to_wgs84(*self.cell_centres_bng(row, col))

    def cell_polygons_bng(self, row: ArrayLike, col: ArrayLike) -> np.ndarray:
        """Closed rings (..., 5, 2) of (easting, northing): SW, SE, NE, NW, SW (anticlockwise)."""
        b = self.cell_bounds(row, col)
        w, s, e, n = b[..., 0], b[..., 1], b[..., 2], b[..., 3]
        xs = np.stack([w, e, e, w, w], axis=-1)
        ys = np.stack([s, s, n, n, s], axis=-1)
        return np.stack([xs, ys], axis=-1)

    def cell_polygons_wgs84(self, row: ArrayLike, col: ArrayLike) -> np.ndarray:
        """The same rings as (longitude, latitude), each corner transformed on its own.

        The BNG square is not quite a rectangle in degrees (grid convergence), so every corner is
        projected rather than the bounds.
        """
        rings = self.cell_polygons_bng(row, col)
        lon, lat = to_wgs84(rings[..., 0], rings[..., 1])
        return np.stack([lon, lat], axis=-1)


def _snap(low: float, high: float, size: float) -> tuple[float, int]:
    """The aligned start and the number of cells covering [low, high]."""
    start = np.floor(low / size) * size
    cells = int(np.ceil((high - start) / size))
    return float(start), max(cells, 1)


def points_to_grid(
    x: ArrayLike,
    y: ArrayLike,
    *,
    crs: Literal["wgs84", "bng"] = "wgs84",
    cell_size: float = DEFAULT_CELL_SIZE,
    bounds: Bounds | None = None,
) -> Grid:
    """Count points per cell of a BNG grid with square cells of `cell_size` metres.

    `x, y` are longitude/latitude (crs="wgs84") or easting/northing (crs="bng"). The grid covers
    `bounds` (min e, min n, max e, max n, in BNG metres: the study area, which Gi* depends on)
    widened to whole cells, or else the points' own extent. Points outside `bounds` are not
    counted and are reported in `Grid.outside`. Non-finite coordinates are an error.
    """
    if not cell_size > 0 or not np.isfinite(cell_size):
        raise ValueError("cell_size must be a positive number of metres")
    if crs == "wgs84":
        e, n = to_bng(x, y)
    elif crs == "bng":
        e, n = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    else:
        raise ValueError('crs must be "wgs84" or "bng"')
    e, n = e.ravel(), n.ravel()
    if e.shape != n.shape:
        raise ValueError("x and y must have the same number of points")
    if not (np.isfinite(e).all() and np.isfinite(n).all()):
        raise ValueError("every point needs finite coordinates inside British National Grid")
    if bounds is None:
        if e.size == 0:
            raise ValueError("there are no points: give bounds to build an empty grid")
        bounds = (e.min(), n.min(), e.max(), n.max())
    min_e, min_n, max_e, max_n = (float(v) for v in bounds)
    if not (max_e >= min_e and max_n >= min_n):
        raise ValueError("bounds must be (min easting, min northing, max easting, max northing)")
    origin_e, cols = _snap(min_e, max_e, cell_size)
    origin_n, rows = _snap(min_n, max_n, cell_size)
    if rows * cols > MAX_CELLS:
        raise ValueError(
            f"a grid of {rows:,} x {cols:,} cells is too large: use bigger cells or smaller bounds"
        )
    inside = (e >= min_e) & (e <= max_e) & (n >= min_n) & (n <= max_n)
    # Cells are half-open, except that a point on the north or east edge of the area belongs
    # to the last cell rather than to one outside it.
    col = np.minimum(np.floor((e[inside] - origin_e) / cell_size).astype(np.int64), cols - 1)
    row = np.minimum(np.floor((n[inside] - origin_n) / cell_size).astype(np.int64), rows - 1)
    flat = np.bincount(row * cols + col, minlength=rows * cols)
    return Grid(
        flat.reshape(rows, cols).astype(np.int64),
        origin_e,
        origin_n,
        float(cell_size),
        outside=int((~inside).sum()),
    )
