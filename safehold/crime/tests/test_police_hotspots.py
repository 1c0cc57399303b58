"""Hot spots of police.uk points: the same Gi* as an independent binning of the raw files'
points gives, the study areas, the command line's files and the API's GeoJSON."""

import csv
import io
import json

import numpy as np
import pytest
import shapely
from django.core.management import call_command
from django.urls import reverse
from pyproj import Transformer

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.audit.models import AuditEvent
from safehold.charts import maps
from safehold.crime import analyses, queries
from safehold.crime.police_hotspots import LOCATION_NOTE, police_hotspots
from safehold.crime.tests.police import btp_rows, burglary_rows
from safehold.geography import boundaries as geography
from safehold.hotspots.gistar import gi_star

pytestmark = pytest.mark.django_db
STOCKPORT = "E08000007"
HEATONS_NORTH = "E05000791"


def _raw_points(start: str, end: str) -> tuple[np.ndarray, np.ndarray]:
    """Eastings and northings of the raw rows of the period with coordinates (all of them
    are in Stockport), projected here with pyproj on its own."""
    rows = [r for r in burglary_rows() + btp_rows() if start <= r["Month"] <= end]
    rows = [r for r in rows if r["Longitude"] and r["Latitude"]]
    to_bng = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    east, north = to_bng.transform(
        [float(r["Longitude"]) for r in rows], [float(r["Latitude"]) for r in rows]
    )
    return np.asarray(east), np.asarray(north)


def _bng(lonlat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    to_bng = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    east, north = to_bng.transform(lonlat[:, 0], lonlat[:, 1])
    return np.asarray(east), np.asarray(north)


def _bin(east, north, bounds, size) -> np.ndarray:
    """Counts per cell of a grid aligned to multiples of `size`, covering `bounds`."""
    west, south, far_east, far_north = bounds
    origin_e, origin_n = size * np.floor(west / size), size * np.floor(south / size)
    cols = int(np.ceil((far_east - origin_e) / size))
    rows = int(np.ceil((far_north - origin_n) / size))
    counts = np.zeros((rows, cols), dtype=np.int64)
    for e, n in zip(east, north, strict=True):
        if west <= e <= far_east and south <= n <= far_north:
            col = min(int((e - origin_e) // size), cols - 1)
            row = min(int((n - origin_n) // size), rows - 1)
            counts[row, col] += 1
    return counts


@pytest.mark.parametrize(("size", "radius"), [(250, 1), (500, 2)])
def test_police_hot_spots_are_gi_star_of_an_independent_binning_of_the_points(
    police_store, size, radius
):
    bounds = maps.stockport_bounds_bng()
    expected_counts = _bin(*_raw_points("2018-02", "2019-01"), bounds, size)
    result = police_hotspots(
        queries.connect(), start="2018-02", end="2019-01", area=STOCKPORT,
        cell_size=size, radius=radius,
    )  # fmt: skip
    grid = result.analysis.grid
    assert grid.counts.shape == expected_counts.shape
    assert (grid.counts == expected_counts).all()
    assert result.counted == expected_counts.sum() == result.points
    assert result.outside == 0
    # The two BTP rows with no location are in no area, so not Stockport's.
    assert result.without_coordinates == 0
    np.testing.assert_allclose(result.analysis.z, gi_star(expected_counts, radius), atol=1e-12)
    # The cells shown: every hot or cold spot, the most extreme first.
    z = gi_star(expected_counts, radius)
    assert [abs(c.z) for c in result.cells] == sorted(
        (abs(c.z) for c in result.cells), reverse=True
    )
    assert len(result.cells) == sum(result.analysis.class_counts()[k] for k in
                                    result.analysis.class_counts() if k != "not significant")  # fmt: skip
    top = result.cells[0]
    assert (
        top.z == pytest.approx(z[top.row, top.col])
        and top.count == expected_counts[top.row, top.col]
    )


def test_a_ward_is_its_own_study_area_and_other_study_areas_can_be_chosen(police_store):
    con = queries.connect()
    ward = police_hotspots(con, area=HEATONS_NORTH)
    # The ward's extent is its LSOAs' (its crimes are theirs), from their shipped boundaries.
    lsoas = {
        code
        for (code,) in con.execute(
            "SELECT lsoa21_code FROM lsoa21 WHERE ward_code = ?", [HEATONS_NORTH]
        ).fetchall()
    }
    corners = [
        corner
        for f in geography.boundaries_geojson()["features"]
        if f["properties"]["area_code"] in lsoas
        for corner in shapely.geometry.shape(f["geometry"]).envelope.exterior.coords
    ]
    east, north = _bng(np.array(corners))
    g = ward.analysis.grid
    assert g.origin_easting <= east.min() < g.origin_easting + 250
    assert g.origin_northing <= north.min() < g.origin_northing + 250
    assert g.bounds[2] >= east.max() and g.bounds[3] >= north.max()
    assert g.bounds[2] - 250 < east.max() and g.bounds[3] - 250 < north.max()
    in_ward = queries.counts(con, group_by=[], area=HEATONS_NORTH).rows[0][0]
    assert ward.points == in_ward and ward.counted == in_ward  # every crime of the ward
    borough = police_hotspots(con, area=HEATONS_NORTH, study_area="borough")
    assert borough.analysis.grid.shape == police_hotspots(con, area=STOCKPORT).analysis.grid.shape
    assert borough.counted == in_ward
    own = police_hotspots(con, area=HEATONS_NORTH, study_area="points")
    assert own.analysis.grid.shape[0] * own.analysis.grid.shape[1] <= g.shape[0] * g.shape[1]


def test_without_an_area_the_grid_fits_the_points_and_rows_without_a_location_are_counted(
    police_store,
):
    result = police_hotspots(queries.connect(), start="2018-06", end="2018-06")
    assert result.bounds is None and result.without_coordinates == 2
    east, north = _raw_points("2018-06", "2018-06")
    assert result.points == result.counted == len(east)
    g = result.analysis.grid
    assert g.origin_easting <= east.min() and g.bounds[2] >= east.max()
    assert g.origin_northing <= north.min() and g.bounds[3] >= north.max()


def test_a_stricter_alpha_shows_only_the_more_confident_cells(police_store):
    con = queries.connect()
    every = police_hotspots(con, area=STOCKPORT)
    strict = police_hotspots(con, area=STOCKPORT, alpha=0.01)
    assert strict.cells and len(strict.cells) < len(every.cells)
    assert all(c.q <= 0.01 for c in strict.cells)
    assert {c.cell for c in strict.cells} == {c.cell for c in every.cells if c.q <= 0.01}


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"cell_size": 5}, "cell_size"),
        ({"radius": 3}, "radius"),
        ({"alpha": 0.2}, "alpha"),
        ({"study_area": "moon"}, "study_area"),
        ({"area": "E05999999"}, "area"),
        ({"start": "2018-13"}, "from"),
    ],
)
def test_bad_arguments_name_the_argument(police_store, kwargs, field):
    with pytest.raises(queries.QueryError) as error:
        police_hotspots(queries.connect(), **kwargs)
    assert error.value.field == field


def test_an_empty_period_gives_an_empty_grid_of_the_area(police_store):
    result = police_hotspots(queries.connect(), start="2030-01", end="2030-12", area=STOCKPORT)
    assert result.points == 0 and result.cells == []
    assert result.analysis.grid.counts.sum() == 0


def test_the_command_line_writes_csv_json_and_geojson_of_the_same_cells(police_store, capsys):
    args = ["crime", "hotspots", "--area", STOCKPORT, "--from", "2018-02", "--to", "2019-01"]
    expected = police_hotspots(queries.connect(), start="2018-02", end="2019-01", area=STOCKPORT)
    call_command(*args)
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(int(r["row"]), int(r["col"]), r["class"], int(r["count"])) for r in rows] == [
        (c.row, c.col, c.classification, c.count) for c in expected.cells
    ]
    assert rows[0]["polygon_wkt"].startswith("POLYGON((")
    call_command(*args, "--format", "json")
    document = json.loads(capsys.readouterr().out)
    assert document["analysis"] == "hotspots" and document["filters"]["cell_size"] == 250
    assert [r["z"] for r in document["rows"]] == [c.z for c in expected.cells]
    assert document["grid"]["location_note"] == LOCATION_NOTE
    assert document["grid"]["counted"] == expected.counted
    call_command(*args, "--format", "geojson", "--alpha", "0.01")
    collection = json.loads(capsys.readouterr().out)
    assert collection["type"] == "FeatureCollection"
    assert {f["properties"]["class"] for f in collection["features"]} == {"hot spot 99%"}
    assert collection["safehold"]["alpha"] == 0.01
    assert AuditEvent.objects.filter(object_type="crime.hotspots", channel="cli").count() == 3


def test_the_api_answers_geojson_and_records_the_call(client, police_store):
    analyst = UserFactory(role=Role.ANALYST)
    client.force_login(analyst)
    params = {"area": HEATONS_NORTH, "from": "2017-02", "to": "2018-01", "cell_size": "500"}
    response = client.get(reverse("api:crime-hotspots"), params)
    assert response.status_code == 200, response.content
    body = response.json()
    expected = analyses.analyse(
        queries.connect(),
        "hotspots",
        analyses.Request(start="2017-02", end="2018-01", area=HEATONS_NORTH, cell_size=500.0),
    )
    assert body == json.loads(expected.render("geojson"))
    assert body["safehold"]["cell_size_m"] == 500 and body["features"]
    for feature in body["features"]:
        ring = feature["geometry"]["coordinates"][0]
        assert ring[0] == ring[-1] and len(ring) == 5
    event = AuditEvent.objects.get(object_type="crime.hotspots", channel="api")
    assert event.actor == analyst and "cell_size=500" in event.purpose


@pytest.mark.parametrize(
    ("params", "field"),
    [({"cell_size": "7"}, "cell_size"), ({"alpha": "0.5"}, "alpha"), ({"area": "nowhere"}, "area")],
)
def test_the_api_refuses_bad_arguments_with_the_field_named(client, police_store, params, field):
    client.force_login(UserFactory(role=Role.ANALYST))
    response = client.get(reverse("api:crime-hotspots"), params)
    assert response.status_code == 400 and field in response.json()


def test_the_api_is_refused_to_referrers(client, police_store):
    client.force_login(UserFactory(role=Role.REFERRER))
    assert client.get(reverse("api:crime-hotspots")).status_code == 403
