"""Hot spots: Getis-Ord Gi* z-scores on a grid of counts, p-values, FDR and map-ready cells.

`gi_star(counts, radius)` gives the same z-scores as PySAL's
`esda.G_Local(y, w, transform="B", star=True)` with binary weights on the (2·radius+1)² square
of cells around each cell, the cell itself included, clipped at the grid's edges (tested to
1e-9 in safehold/hotspots/tests/test_gistar.py). It is plain numpy: box sums from a summed-area
table, no loop over cells. The method, weights, FDR rule and classes are
docs/formats/hotspots.md and docs/adr/0013-hot-spot-method.md.
"""

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import ndtr

from safehold.hotspots.grid import Grid

# Confidence levels of the classes, most confident first: (level, q-value threshold).
LEVELS: tuple[tuple[int, float], ...] = ((99, 0.01), (95, 0.05), (90, 0.10))
NOT_SIGNIFICANT = "not significant"


def _box_sums(values: np.ndarray, radius: int) -> np.ndarray:
    """The sum of each cell's (2r+1)² square neighbourhood, clipped at the edges.

    A summed-area table with a zero row and column in front: the sum over rows [a, b) and
    columns [c, d) is S[b, d] - S[a, d] - S[b, c] + S[a, c].
    """
    rows, cols = values.shape
    table = np.zeros((rows + 1, cols + 1), dtype=values.dtype)
    np.cumsum(values, axis=0, out=table[1:, 1:])
    np.cumsum(table[1:, 1:], axis=1, out=table[1:, 1:])
    r_lo = np.clip(np.arange(rows) - radius, 0, rows)
    r_hi = np.clip(np.arange(rows) + radius + 1, 0, rows)
    c_lo = np.clip(np.arange(cols) - radius, 0, cols)
    c_hi = np.clip(np.arange(cols) + radius + 1, 0, cols)
    hi_rows, lo_rows = table[r_hi], table[r_lo]
    return hi_rows[:, c_hi] - lo_rows[:, c_hi] - hi_rows[:, c_lo] + lo_rows[:, c_lo]


def neighbour_counts(shape: tuple[int, int], radius: int = 1) -> np.ndarray:
    """How many cells (itself included) each cell's clipped square neighbourhood holds."""
    rows, cols = shape
    r = np.minimum(np.arange(rows) + radius, rows - 1) - np.maximum(np.arange(rows) - radius, 0)
    c = np.minimum(np.arange(cols) + radius, cols - 1) - np.maximum(np.arange(cols) - radius, 0)
    return np.outer(r + 1, c + 1).astype(np.float64)


def _as_counts(counts: ArrayLike) -> np.ndarray:
    a = np.asarray(counts)
    if a.ndim != 2:
        raise ValueError(f"counts must be a 2-D array, not {a.ndim}-D")
    if a.dtype.kind not in "biuf":
        raise ValueError("counts must be numbers")
    if a.dtype.kind == "f" and not np.isfinite(a).all():
        raise ValueError("counts must be finite")
    if (a < 0).any():
        raise ValueError("counts must be zero or more")
    whole = a.dtype.kind in "biu" or bool((a == np.floor(a)).all())
    if whole and float(a.max(initial=0)) * max(a.size, 1) < 2**62:
        # Whole numbers: exact integer box sums, whatever the grid's size.
        return a.astype(np.int64)
    return a.astype(np.float64)


def gi_star(counts: ArrayLike, radius: int = 1) -> np.ndarray:
    """Getis-Ord Gi* z-score of every cell of a 2-D grid of counts, in an array of its shape.

    Binary weights: 1 for every cell of the (2·radius+1)² square centred on the cell, itself
    included, clipped at the edges; n is every cell of the grid. With x̄ and s the mean and
    (population) standard deviation of all cells and wᵢ the number of cells in cell i's
    neighbourhood:

        zᵢ = (Σⱼ wᵢⱼ xⱼ - wᵢ x̄) / (s · √(wᵢ (n - wᵢ) / (n - 1)))

    which is esda's G_Local(star=True, transform="B") z-score rearranged. Where that is 0/0 —
    every cell equal (an all-zero grid included: s = 0), a single cell (n = 1), or a
    neighbourhood covering the whole grid (wᵢ = n) — the observed sum equals its expectation
    exactly, esda returns NaN and this returns 0: there is no departure to call a hot or cold
    spot, and p = 1.
    """
    if isinstance(radius, bool) or not isinstance(radius, (int, np.integer)) or radius < 0:
        raise ValueError("radius must be a whole number of cells, 0 or more")
    radius = int(radius)
    x = _as_counts(counts)
    n = x.size
    z = np.zeros(x.shape, dtype=np.float64)
    if n < 2:
        return z
    mean = x.sum() / n
    s = np.sqrt(np.mean((x - mean) ** 2))
    if not s > 1e-12 * max(mean, np.finfo(float).tiny):
        return z
    local = _box_sums(x, radius).astype(np.float64)
    w = neighbour_counts(x.shape, radius)
    spread = w * (n - w)
    np.divide(local - w * mean, s * np.sqrt(spread / (n - 1)), out=z, where=spread > 0)
    return z


def p_values(z: ArrayLike) -> np.ndarray:
    """Two-sided p-values of z-scores under the standard normal: 2·(1 - Φ(|z|))."""
    return 2.0 * ndtr(-np.abs(np.asarray(z, dtype=np.float64)))


def fdr_q_values(p: ArrayLike) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q-values), in the shape of `p`.

    For the p-values sorted ascending p₍₁₎ ≤ … ≤ p₍ₘ₎, q₍ₖ₎ = min over j ≥ k of m·p₍ⱼ₎ / j,
    capped at 1. Rejecting every test with q ≤ alpha is the BH step-up procedure at level alpha.
    """
    p = np.asarray(p, dtype=np.float64)
    flat = p.ravel()
    m = flat.size
    if m == 0:
        return p.copy()
    if np.isnan(flat).any() or (flat < 0).any() or (flat > 1).any():
        raise ValueError("p-values must be between 0 and 1")
    order = np.argsort(flat, kind="stable")
    scaled = flat[order] * m / np.arange(1, m + 1)
    q_sorted = np.minimum(np.minimum.accumulate(scaled[::-1])[::-1], 1.0)
    q = np.empty(m, dtype=np.float64)
    q[order] = q_sorted
    return q.reshape(p.shape)


def significant(p: ArrayLike, alpha: float = 0.05) -> np.ndarray:
    """Boolean mask of the tests BH rejects at false-discovery rate `alpha` (q ≤ alpha)."""
    if not 0 < alpha < 1:
        raise ValueError("alpha must be between 0 and 1")
    return fdr_q_values(p) <= alpha


def classify(z: ArrayLike, q: ArrayLike) -> np.ndarray:
    """'hot spot 99%' … 'cold spot 90%' or 'not significant' for each cell, by sign and q."""
    z, q = np.asarray(z, dtype=np.float64), np.asarray(q, dtype=np.float64)
    labels = np.full(z.shape, NOT_SIGNIFICANT, dtype=object)
    for level, threshold in reversed(LEVELS):  # least confident first, so the best level wins
        labels[(q <= threshold) & (z > 0)] = f"hot spot {level}%"
        labels[(q <= threshold) & (z < 0)] = f"cold spot {level}%"
    return labels


@dataclass(frozen=True)
class HotspotCell:
    """One cell of a hot-spot map: where it is, its count and its statistics.

    `polygon` is the cell's ring of (longitude, latitude) corners (SW, SE, NE, NW, SW);
    `polygon_bng` the same ring in BNG metres. `q` is the Benjamini-Hochberg adjusted p-value
    over every cell of the grid.
    """

    row: int
    col: int
    centre_lon: float
    centre_lat: float
    centre_easting: float
    centre_northing: float
    polygon: tuple[tuple[float, float], ...]
    polygon_bng: tuple[tuple[float, float], ...]
    count: int
    z: float
    p: float
    q: float
    classification: str

    @property
    def cell(self) -> tuple[int, int]:
        return (self.row, self.col)

    def as_feature(self) -> dict:
        """A GeoJSON Feature (RFC 7946: WGS84 longitude/latitude, anticlockwise ring)."""
        return {
            "type": "Feature",
            "geometry": {"type": "Polygon", "coordinates": [[list(c) for c in self.polygon]]},
            "properties": {
                "row": self.row,
                "col": self.col,
                "count": self.count,
                "z": self.z,
                "p": self.p,
                "q": self.q,
                "class": self.classification,
                "centre_lon": self.centre_lon,
                "centre_lat": self.centre_lat,
            },
        }


@dataclass(frozen=True)
class HotspotAnalysis:
    """Gi* over a whole grid: the arrays (shape of the grid) and the grid itself."""

    grid: Grid
    radius: int
    z: np.ndarray
    p: np.ndarray
    q: np.ndarray
    classes: np.ndarray

    def cells(self, *, only_significant: bool = True) -> list[HotspotCell]:
        """Cells as rows, the most extreme z first; by default only hot and cold spots."""
        mask = self.classes != NOT_SIGNIFICANT if only_significant else np.ones_like(self.z, bool)
        rows, cols = np.nonzero(mask)
        order = np.lexsort((cols, rows, -np.abs(self.z[rows, cols])))
        rows, cols = rows[order], cols[order]
        lon, lat = self.grid.cell_centres_wgs84(rows, cols)
        east, north = self.grid.cell_centres_bng(rows, cols)
        rings = self.grid.cell_polygons_wgs84(rows, cols)
        rings_bng = self.grid.cell_polygons_bng(rows, cols)
        return [
            HotspotCell(
                row=int(r),
                col=int(c),
                centre_lon=float(lon[i]),
                centre_lat=float(lat[i]),
                centre_easting=float(east[i]),
                centre_northing=float(north[i]),
                polygon=tuple((float(x), float(y)) for x, y in rings[i]),
                polygon_bng=tuple((float(x), float(y)) for x, y in rings_bng[i]),
                count=int(self.grid.counts[r, c]),
                z=float(self.z[r, c]),
                p=float(self.p[r, c]),
                q=float(self.q[r, c]),
                classification=str(self.classes[r, c]),
            )
            for i, (r, c) in enumerate(zip(rows, cols, strict=True))
        ]

    def class_counts(self) -> dict[str, int]:
        """How many cells fall in each class, every class listed (0 when none)."""
        names = [f"{kind} spot {level}%" for kind in ("hot", "cold") for level, _ in LEVELS]
        found = dict(zip(*np.unique(self.classes.astype(str), return_counts=True), strict=True))
        return {name: int(found.get(name, 0)) for name in [*names, NOT_SIGNIFICANT]}


def analyse_grid(grid: Grid, *, radius: int = 1) -> HotspotAnalysis:
    """Gi* z-scores, two-sided p-values, BH q-values over all cells, and classes."""
    z = gi_star(grid.counts, radius=radius)
    p = p_values(z)
    q = fdr_q_values(p)
    return HotspotAnalysis(grid=grid, radius=radius, z=z, p=p, q=q, classes=classify(z, q))


def hotspot_cells(
    grid: Grid, *, radius: int = 1, only_significant: bool = True
) -> list[HotspotCell]:
    """The hot and cold cells of a grid as rows ready for a GeoJSON layer (see HotspotCell)."""
    return analyse_grid(grid, radius=radius).cells(only_significant=only_significant)


def as_geojson(cells: list[HotspotCell]) -> dict:
    """A GeoJSON FeatureCollection of cells."""
    return {"type": "FeatureCollection", "features": [c.as_feature() for c in cells]}
