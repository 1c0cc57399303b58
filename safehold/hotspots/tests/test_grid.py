"""Binning points into British National Grid cells, the projection, and map-ready cells."""

import math

import numpy as np
import pytest
from pyproj import Transformer

from safehold.hotspots.gistar import analyse_grid, as_geojson, gi_star, hotspot_cells
from safehold.hotspots.grid import (
    points_to_grid,
    to_bng,
    to_wgs84,
    transformation_description,
)

# Five Stockport postcodes as the ONS Postcode Directory publishes them (via postcodes.io,
# 2025-10-26; Open Government Licence v3.0, contains OS data © Crown copyright and database
# right): latitude, longitude, easting, northing.
POSTCODES = {
    "SK1 1EB": (53.409982, -2.158064, 389590, 390362),
    "SK2 5DH": (53.40185, -2.126389, 391694, 389453),
    "SK3 0SA": (53.395495, -2.182087, 387989, 388754),
    "SK4 1AA": (53.408836, -2.161806, 389341, 390235),
    "SK8 3AU": (53.372898, -2.21402, 385858, 386246),
}


def test_the_projection_matches_the_ordnance_surveys_worked_example_to_the_millimetre():
    """OS, "A guide to coordinates systems in Great Britain", annex C: OSGB36 52°39'27.2531"N
    1°43'4.5177"E projects to E 651409.903, N 313177.270 on the National Grid."""
    lat = 52 + 39 / 60 + 27.2531 / 3600
    lon = 1 + 43 / 60 + 4.5177 / 3600
    e, n = Transformer.from_crs("EPSG:4277", "EPSG:27700", always_xy=True).transform(lon, lat)
    assert abs(e - 651409.903) < 0.001 and abs(n - 313177.270) < 0.001


def test_wgs84_points_land_within_the_datum_shifts_accuracy_of_their_published_grid_reference():
    """Stockport postcodes (ONS Postcode Directory via postcodes.io): published WGS84 latitude
    and longitude against the published easting and northing (whole metres).

    PROJ's bundled data has no OSTN15 grid, so WGS84 → OSGB36 is the 7-parameter Helmert
    "OSGB36 to WGS 84 (6)", good to about 2 m; here every point is within 2.5 m (with OSTN15
    it would be within a metre).
    """
    lat, lon, published_e, published_n = (
        np.array(c, dtype=float) for c in zip(*POSTCODES.values(), strict=True)
    )
    e, n = to_bng(lon, lat)
    distance = np.hypot(e - published_e, n - published_n)
    assert distance.max() < 2.5, distance.max()
    assert "OSGB36 to WGS 84" in transformation_description()


def test_a_point_round_trips_between_wgs84_and_bng():
    lon, lat = -2.1577, 53.4053  # central Stockport
    e, n = to_bng(lon, lat)
    assert 389_000 < e < 390_500 and 389_500 < n < 390_500
    back_lon, back_lat = to_wgs84(e, n)
    # The Helmert shift's inverse is not exact: about a millimetre (1e-8 degrees).
    assert math.isclose(back_lon, lon, abs_tol=1e-7) and math.isclose(back_lat, lat, abs_tol=1e-7)
    again_e, again_n = to_bng(back_lon, back_lat)
    assert math.hypot(again_e - e, again_n - n) < 0.01


def test_a_point_falls_in_the_cell_its_coordinates_name():
    grid = points_to_grid(
        [389_590, 389_999.9, 390_000, 390_100],
        [390_362, 390_362, 390_362, 390_600],
        crs="bng",
        cell_size=250,
        bounds=(389_000, 390_000, 391_000, 391_000),
    )
    assert grid.origin_easting == 389_000 and grid.origin_northing == 390_000
    assert grid.shape == (4, 8)
    # 389590 is in column (389590-389000)//250 = 2, 390362 in row 362//250 = 1.
    assert grid.counts[1, 2] == 1
    # 389999.9 is the last centimetres of column 3; 390000 starts column 4 (cells half-open).
    assert grid.counts[1, 3] == 1 and grid.counts[1, 4] == 1
    assert grid.counts[2, 4] == 1  # 390100, 390600
    assert grid.counts.sum() == 4 and grid.outside == 0
    assert grid.cell_bounds(1, 2).tolist() == [389_500, 390_250, 389_750, 390_500]


def test_points_outside_the_bounds_are_counted_as_outside_and_the_edges_belong_inside():
    grid = points_to_grid(
        [0, 1000, 999.99, 1000.01, 500],
        [0, 1000, 0, 0, -1],
        crs="bng",
        cell_size=250,
        bounds=(0, 0, 1000, 1000),
    )
    assert grid.shape == (4, 4)
    assert grid.counts[0, 0] == 1 and grid.counts[3, 3] == 1 and grid.counts[0, 3] == 1
    assert grid.outside == 2 and grid.counts.sum() == 3


def test_a_grid_from_the_points_alone_is_aligned_to_whole_cells():
    grid = points_to_grid([389_590, 391_694], [390_362, 389_453], crs="bng", cell_size=250)
    assert grid.origin_easting == 389_500 and grid.origin_northing == 389_250
    assert grid.bounds == (389_500, 389_250, 391_750, 390_500)
    assert grid.counts.sum() == 2


def test_wgs84_points_are_binned_in_bng_metres():
    lon, lat = np.array([-2.158064, -2.158064, -2.126389]), np.array([53.409982] * 2 + [53.40185])
    grid = points_to_grid(lon, lat, cell_size=100)
    e, n = to_bng(lon, lat)
    rows, cols = grid.cell_of(e, n)
    assert grid.counts[rows[0], cols[0]] == 2 and grid.counts[rows[2], cols[2]] == 1
    assert grid.cell_size == 100


def test_bad_grids_are_refused():
    with pytest.raises(ValueError, match="cell_size"):
        points_to_grid([1], [1], crs="bng", cell_size=0)
    with pytest.raises(ValueError, match="no points"):
        points_to_grid([], [], crs="bng")
    with pytest.raises(ValueError, match="too large"):
        points_to_grid([0, 1e6], [0, 1e6], crs="bng", cell_size=1)
    with pytest.raises(ValueError, match="finite"):
        points_to_grid([np.nan], [1], crs="bng")


def test_an_empty_area_gives_an_all_zero_grid_with_no_hot_spots():
    grid = points_to_grid([], [], crs="bng", cell_size=250, bounds=(0, 0, 2000, 1000))
    assert grid.shape == (4, 8) and grid.counts.sum() == 0
    assert hotspot_cells(grid) == []


def cluster_grid():
    """A 250 m grid over 5 km x 5 km of Stockport with 60 incidents in one cell."""
    rng = np.random.default_rng(42)
    e = np.concatenate([rng.uniform(386_000, 391_000, 40), np.full(60, 389_625.0)])
    n = np.concatenate([rng.uniform(387_000, 392_000, 40), np.full(60, 390_375.0)])
    return points_to_grid(
        e, n, crs="bng", cell_size=250, bounds=(386_000, 387_000, 391_000, 392_000)
    )


def test_hotspot_cells_are_rows_for_a_map():
    grid = cluster_grid()
    cells = hotspot_cells(grid)
    # The strongest cell is the cluster's or one touching it (its square holds the 60 too).
    assert abs(cells[0].row - 13) <= 1 and abs(cells[0].col - 14) <= 1
    top = next(c for c in cells if (c.row, c.col) == (13, 14))
    assert top.count >= 60
    assert top.classification == "hot spot 99%"
    assert top.z == pytest.approx(gi_star(grid.counts)[13, 14])
    assert top.q <= 0.01 and top.p <= top.q
    assert top.centre_easting == 389_625 and top.centre_northing == 390_375
    assert top.polygon_bng == (
        (389_500, 390_250), (389_750, 390_250), (389_750, 390_500), (389_500, 390_500),
        (389_500, 390_250),
    )  # fmt: skip
    assert top.polygon[0] == top.polygon[-1] and len(top.polygon) == 5
    lon, lat = to_wgs84(389_625, 390_375)
    assert (top.centre_lon, top.centre_lat) == pytest.approx((float(lon), float(lat)))
    # Anticlockwise in degrees too (RFC 7946): the shoelace area is positive.
    ring = np.array(top.polygon)
    area = np.sum(ring[:-1, 0] * ring[1:, 1] - ring[1:, 0] * ring[:-1, 1])
    assert area > 0
    assert all(c.classification != "not significant" for c in cells)
    assert [abs(c.z) for c in cells] == sorted((abs(c.z) for c in cells), reverse=True)


def test_every_cell_can_be_listed_and_class_counts_add_up():
    grid = cluster_grid()
    analysis = analyse_grid(grid)
    everything = analysis.cells(only_significant=False)
    assert len(everything) == grid.counts.size == 400
    counts = analysis.class_counts()
    assert sum(counts.values()) == 400
    assert counts["hot spot 99%"] >= 1
    assert counts["not significant"] == sum(
        c.classification == "not significant" for c in everything
    )


def test_geojson_layer():
    layer = as_geojson(hotspot_cells(cluster_grid()))
    assert layer["type"] == "FeatureCollection"
    feature = layer["features"][0]
    assert feature["geometry"]["type"] == "Polygon"
    assert len(feature["geometry"]["coordinates"][0]) == 5
    assert feature["properties"]["class"] == "hot spot 99%"
    assert set(feature["properties"]) >= {"count", "z", "p", "q", "row", "col"}
