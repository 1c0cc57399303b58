"""The map component (safehold.charts.maps and its template tags) and the heat map chart: layers
that carry their colour and their words, legends that cover every value, the picture drawn
without JavaScript, and the page markup map.js reads."""

import json
import re

import numpy as np
import pytest
from django.template import Context, Template

from safehold.charts import maps
from safehold.charts.templatetags.charts import SHADES as HEAT_SHADES
from safehold.charts.templatetags.charts import band, legend
from safehold.hotspots.gistar import analyse_grid
from safehold.hotspots.grid import points_to_grid, to_bng


def hot_cells():
    """A Gi* analysis with a cluster in Brinnington on a grid over the whole borough."""
    rng = np.random.default_rng(3)
    east, north = to_bng([-2.1324] * 60, [53.4274] * 60)
    east = np.concatenate([east + rng.normal(0, 60, 60), rng.uniform(384000, 400000, 120)])
    north = np.concatenate([north + rng.normal(0, 60, 60), rng.uniform(382000, 395000, 120)])
    grid = points_to_grid(east, north, crs="bng", bounds=maps.stockport_bounds_bng())
    return analyse_grid(grid).cells()


def test_a_hot_spot_layer_colours_each_cell_by_class_and_names_its_class_and_count():
    cells = hot_cells()
    layer = maps.hotspot_layer(cells)
    assert len(layer) == len(cells) > 0
    for cell, feature in zip(cells, layer.features["features"], strict=True):
        props = feature["properties"]
        assert props["fill"] == maps.CLASS_COLOURS[cell.classification]
        assert props["label"].startswith(f"{cell.classification.capitalize()}: {cell.count:,}")
        assert feature["geometry"]["coordinates"][0][0] == [round(v, 6) for v in cell.polygon[0]]
    classes = {c.classification for c in cells}
    assert [e.text for e in layer.legend] == [
        f"{c.capitalize()} confidence"
        for c in ("hot spot 99%", "hot spot 95%", "hot spot 90%",
                  "cold spot 90%", "cold spot 95%", "cold spot 99%")
        if c in classes
    ]  # fmt: skip


def test_a_choropleth_shades_areas_by_value_in_bands_its_legend_describes():
    wards = maps.ward_boundaries()
    names = [f["properties"]["name"] for f in wards["features"]]
    values = {name: i * 3 for i, name in enumerate(names)}  # 0 to 60
    values[names[1]] = None
    layer = maps.choropleth_layer(wards, values, unit="incidents")
    by_name = {f["properties"]["name"]: f["properties"] for f in layer.features["features"]}
    assert by_name[names[0]]["fill"] == maps.SHADES[0]  # zero: the lightest
    assert by_name[names[-1]]["fill"] == maps.SHADES[-1]  # the highest: the darkest
    assert by_name[names[1]] == {
        "name": names[1], "label": f"{names[1]}: no figure", "fill": maps.NO_FIGURE,
    }  # fmt: skip
    assert by_name[names[5]]["label"] == f"{names[5]}: 15 incidents"
    assert [e.text for e in layer.legend] == [
        "0 incidents",
        "1 to 15 incidents",
        "16 to 30 incidents",
        "31 to 45 incidents",
        "46 to 60 incidents",
        "No figure",
    ]
    # Every value's shade is the legend entry whose range holds it.
    entries = {e.colour: e.text for e in layer.legend}
    for name, value in values.items():
        if value:
            low, high = (int(n) for n in re.findall(r"\d+", entries[by_name[name]["fill"]]))
            assert low <= value <= high


def test_a_choropleth_of_rates_writes_fractions():
    wards = maps.ward_boundaries()
    names = [f["properties"]["name"] for f in wards["features"]]
    layer = maps.choropleth_layer(wards, {names[0]: 2.5, names[2]: 0.5}, unit="per 1,000")
    labels = {f["properties"]["name"]: f["properties"] for f in layer.features["features"]}
    assert labels[names[0]]["label"] == f"{names[0]}: 2.5 per 1,000"
    assert labels[names[0]]["fill"] == maps.SHADES[-1]
    assert labels[names[2]]["label"] == f"{names[2]}: 0.5 per 1,000"
    assert labels[names[2]]["fill"] == maps.SHADES[1]  # 0.5 is in (0, 0.625]
    assert [e.text for e in layer.legend][1:5] == [
        "More than 0 up to 0.62 per 1,000",
        "More than 0.62 up to 1.25 per 1,000",
        "More than 1.25 up to 1.88 per 1,000",
        "More than 1.88 up to 2.5 per 1,000",
    ]


def test_a_choropleth_can_be_keyed_by_ward_code():
    wards = maps.ward_boundaries()
    codes = {f["properties"]["code"]: f["properties"]["name"] for f in wards["features"]}
    assert len(codes) == 21 and all(code.startswith("E05") for code in codes)
    layer = maps.choropleth_layer(wards, {"E05000779": 7}, key="code")
    labels = {f["properties"]["name"]: f["properties"]["label"] for f in layer.features["features"]}
    assert labels[codes["E05000779"]] == f"{codes['E05000779']}: 7 incidents"
    assert sum(label.endswith("no figure") for label in labels.values()) == 20


def test_points_are_placed_in_their_wards():
    names, shapes = maps._ward_shapes()
    inside = [shape.representative_point() for shape in shapes]
    # Every ward's own point, then Manchester city centre (outside the borough).
    found = maps.wards_at([p.x for p in inside] + [-2.2426], [p.y for p in inside] + [53.4808])
    assert found == [*names, None]
    assert maps.wards_at([-2.158064], [53.409982]) == ["Brinnington and Central"]  # SK1 1EB


def test_points_are_counted_once_in_their_ward_and_outside_the_borough():
    names, shapes = maps._ward_shapes()
    inside = [shape.representative_point() for shape in shapes]
    lon = [p.x for p in inside] * 2 + [inside[3].x, -2.2426]
    lat = [p.y for p in inside] * 2 + [inside[3].y, 53.4808]
    counts, outside = maps.count_by_ward(lon, lat)
    assert list(counts) == list(names) and outside == 1
    assert counts[names[3]] == 3 and sum(counts.values()) == 2 * 21 + 1


def test_the_borough_bounds_hold_every_ward():
    min_e, min_n, max_e, max_n = maps.stockport_bounds_bng()
    ring = maps.ward_boundaries()["features"][0]["geometry"]["coordinates"][0][0]
    east, north = to_bng([p[0] for p in ring], [p[1] for p in ring])
    assert (east >= min_e - 1e-6).all() and (east <= max_e + 1e-6).all()
    assert (north >= min_n - 1e-6).all() and (north <= max_n + 1e-6).all()
    assert 15_000 < max_e - min_e < 20_000 and 12_000 < max_n - min_n < 16_000


def render(crime_map, static=False) -> str:
    return Template("{% load maps %}{% crime_map m static=s %}").render(
        Context({"m": crime_map, "s": static})
    )


def test_the_map_tag_gives_map_js_its_data_a_picture_a_description_and_a_way_past(settings):
    cells = hot_cells()
    crime_map = maps.CrimeMap(
        map_id="m1", title="Test map", description="What the map shows.", table_id="the-table",
        layer=maps.hotspot_layer(cells),
    )  # fmt: skip
    html = render(crime_map)
    assert 'data-crime-map="m1-data"' in html
    data = json.loads(
        re.search(r'<script id="m1-data" type="application/json">(.*?)</script>', html).group(1)
    )
    assert data == json.loads(json.dumps(crime_map.data()))
    assert data["tiles"] == {"url": "", "attribution": ""}  # no base map unless configured
    assert 'href="#the-table"' in html and "Skip the map" in html
    assert 'aria-describedby="m1-description"' in html and "What the map shows." in html
    picture = html[html.index("<svg") : html.index("</svg>")]
    assert picture.count("<path") == 21 + len(cells)
    assert picture.count("<title") == 1 + 21 + len(cells)  # the picture, each ward, each cell
    assert "Outlines: ward boundaries" in html
    printed = render(crime_map, static=True)
    assert "data-crime-map" not in printed and "application/json" not in printed
    assert printed.count("<path") == 21 + len(cells)

    settings.CRIME_MAP_TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"
    settings.CRIME_MAP_TILE_ATTRIBUTION = "© Example contributors"
    assert crime_map.data()["tiles"] == {
        "url": "https://tiles.example/{z}/{x}/{y}.png", "attribution": "© Example contributors",
    }  # fmt: skip


def test_the_assets_tag_loads_leaflet_and_map_js_from_static_files():
    html = Template("{% load maps %}{% crime_map_assets %}").render(Context())
    assert '<script src="/static/leaflet/leaflet.js" defer></script>' in html
    assert html.index("leaflet/leaflet.js") < html.index("crime/map.js")
    assert '<link rel="stylesheet" href="/static/leaflet/leaflet.css">' in html
    assert "http" not in html  # nothing from the internet


@pytest.mark.parametrize("top", [1, 2, 3, 5, 7, 10, 13, 99, 100, 1234])
def test_every_heat_map_count_falls_in_the_legend_entry_of_its_shade(top):
    entries = {e["colour"]: e["text"] for e in legend(top)}
    for value in range(top + 1):
        text = entries[HEAT_SHADES[band(value, top)]]
        if value == 0:
            assert text == "No incidents"
            continue
        numbers = [int(n.replace(",", "")) for n in re.findall(r"[\d,]+", text)]
        low, high = numbers[0], numbers[-1]
        assert low <= value <= high
    assert band(top, top) == len(HEAT_SHADES) - 1  # the busiest cell is the darkest
