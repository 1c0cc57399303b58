"""Geography for analytics: the shipped GM extract, the ONS loaders, placing points."""

import csv
import json

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from pyproj import Transformer
from shapely.geometry import shape

from safehold.crime import queries
from safehold.geography import boundaries, layers, ons, placement
from safehold.geography.services import STOCKPORT_DIR
from safehold.geography.tests.conftest import ONS

V2 = (
    ONS
    / "LSOA_(2011)_to_LSOA_(2021)_to_Local_Authority_District_(2022)_Best_Fit_Lookup_for_EW_(V2).csv"
)


def test_greater_manchester_is_loaded_on_first_use(store):
    con = queries.connect()
    assert con.execute("SELECT count(*), sum(population) FROM lsoa21").fetchall() == [
        (1702, 2867719)
    ]
    assert con.execute("SELECT count(*) FROM wards WHERE lad_code = 'E08000007'").fetchall() == [
        (21,)
    ]
    gm = queries.find_area(con, "E47000001")
    assert (gm.name, gm.population) == ("Greater Manchester", 2867719)


def test_stockport_ward_populations_agree_with_the_casework_extract(store):
    """Two extracts cut by different scripts from the same sources give the same populations."""
    with open(STOCKPORT_DIR / "lsoas.csv", newline="") as f:
        expected: dict[str, int] = {}
        for row in csv.DictReader(f):
            expected[row["ward_code"]] = expected.get(row["ward_code"], 0) + int(
                row["population_2021"]
            )
    con = queries.connect()
    found = dict(
        con.execute(
            "SELECT ward_code, population FROM wards WHERE lad_code = 'E08000007'"
        ).fetchall()
    )
    assert found == expected


def test_a_2011_lsoa_code_finds_its_2021_lsoa_and_ward(store):
    con = queries.connect()
    with open(layers.GM_DIR / "lsoa11.csv", newline="") as f:
        changed = next(r for r in csv.DictReader(f) if r["lsoa11_code"] != r["lsoa21_code"])
    found = queries.find_area(con, changed["lsoa11_code"])
    assert (found.level, found.code) == ("lsoa", changed["lsoa21_code"])


def test_the_loader_understands_the_ons_files_and_says_which(store, capsys):
    call_command("geography", "load", *map(str, sorted(ONS.iterdir())))
    out = capsys.readouterr().out
    for description in ons.KNOWN:
        if "LSOA 2021 to ward" not in description:
            assert description in out
    con = queries.connect()
    # E01011973 and E01011976 (Hartlepool, 2011) merged into E01035188 in 2021.
    merged = con.execute(
        "SELECT lsoa21_name, ward_code, ward_year, lad_code, population, imd2019_rank, "
        "imd2019_decile FROM lsoa21 WHERE lsoa21_code = 'E01035188'"
    ).fetchall()[0]
    with open(
        ONS / "File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv", encoding="utf-8-sig"
    ) as f:
        ranks = {
            r["LSOA code (2011)"]: int(r["Index of Multiple Deprivation (IMD) Rank"])
            for r in csv.DictReader(f)
        }
    with open(ONS / "census2021-ts001-lsoa.csv", encoding="utf-8-sig") as f:
        census = {
            r["geography code"]: int(r["Residence type: Total; measures: Value"])
            for r in csv.DictReader(f)
        }
    mean_rank = round((ranks["E01011973"] + ranks["E01011976"]) / 2)
    assert merged[3] == "E06000001" and merged[2] == 2017
    assert merged[4] == census["E01035188"]
    assert merged[5] == mean_rank and merged[6] == -(-mean_rank * 10 // 32844)
    codes = dict(con.execute("SELECT code, lsoa21_code FROM lsoa_codes").fetchall())
    assert codes["E01011976"] == codes["E01011973"] == "E01035188"
    ward = con.execute("SELECT population_mid2017 FROM wards WHERE ward_code = ?", [merged[1]])
    mid2017 = json.loads((ONS / "population.json").read_text())
    assert ward.fetchall()[0][0] == mid2017[merged[1]]["population"]


def test_centroids_given_in_degrees_are_stored_in_metres(store):
    ons.load_files(
        [ONS / "Lower_Layer_Super_Output_Areas_December_2011_Population_Weighted_Centroids.csv"]
    )
    con = queries.connect()
    row = con.execute(
        "SELECT easting, northing FROM read_parquet(?) WHERE lsoa11_code = 'E01012008'",
        [str(layers.geography_dir() / "ew" / "lsoa11_centroids.parquet")],
    ).fetchall()[0]
    with open(
        ONS / "Lower_Layer_Super_Output_Areas_December_2011_Population_Weighted_Centroids.csv",
        encoding="utf-8-sig",
    ) as f:
        source = next(r for r in csv.DictReader(f) if r["lsoa11cd"] == "E01012008")
    expected = Transformer.from_crs(4326, 27700, always_xy=True).transform(
        float(source["X"]), float(source["Y"])
    )
    assert row == pytest.approx(expected)
    assert 400_000 < row[0] < 500_000  # Middlesbrough is about 450 km east of the BNG origin


def test_an_unknown_file_is_refused_clearly_and_nothing_is_loaded(store, tmp_path):
    odd = tmp_path / "lookup.csv"
    odd.write_text("code,name\nE01000001,City of London 001A\n")
    with pytest.raises(CommandError) as refused:
        call_command("geography", "load", str(V2), str(odd))
    message = str(refused.value)
    assert f"{odd}: not a geography file Safehold knows" in message
    assert "LSOA 2011 to LSOA 2021 to local authority best-fit lookup" in message
    assert not (layers.geography_dir() / "ew").exists()


def _feature(index: int):
    feature = json.loads(boundaries.GM_BOUNDARIES.read_text())["features"][index]
    return feature["properties"]["area_code"], shape(feature["geometry"])


@pytest.mark.parametrize("index", [0, 500, 1701])
def test_a_point_inside_a_gm_lsoa_lands_in_it(store, index):
    code, polygon = _feature(index)
    point = polygon.representative_point()
    found = placement.placer().place(np.array([point.x]), np.array([point.y]))
    assert found.codes == [code] and found.by_boundary == 1


def test_points_outside_greater_manchester_need_the_centroids(store):
    # Middlesbrough town centre, and the Irish Sea.
    longitude, latitude = np.array([-1.2350, -4.5]), np.array([54.5760, 53.9])
    assert placement.placer().place(longitude, latitude).codes == [None, None]
    ons.load_files(
        [ONS / "Lower_Layer_Super_Output_Areas_December_2011_Population_Weighted_Centroids.csv"]
    )
    found = placement.placer().place(longitude, latitude)
    assert found.codes[1] is None  # further than 5 km from every centroid
    assert found.codes[0] is not None and found.by_centroid == 1
