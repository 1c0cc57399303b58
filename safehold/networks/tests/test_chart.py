"""The link chart: one layout, drawn as SVG, PNG and Cytoscape elements that agree, with every
label escaped, every link in the table, and the same picture for the same graph."""

import datetime
import xml.etree.ElementTree as ET

from hypothesis import given, settings
from hypothesis import strategies as st

from safehold.networks.chart import HEIGHT, STYLES, WIDTH, LinkChart
from safehold.networks.graph import Entity, Graph, Link

SVG = "{http://www.w3.org/2000/svg}"


def _graph() -> Graph:
    """Two cuckooed addresses joined by one phone, a member of a group at one of them."""
    return Graph.of(
        [
            Entity("location:a", "location", "4 Alder Court"),
            Entity("location:b", "location", "9 Birch Walk"),
            Entity("object:p", "phone", "+447700900123"),
            Entity("person:m", "person", "Kai Example"),
            Entity("ocg:g", "ocg", "Example Crew"),
            Entity("event:s", "seizure", "Phones seized", {"date": "2026-03-02"}),
        ],
        [
            Link("l1", "object:p", "location:a", "seen_at", datetime.date(2026, 3, 1)),
            Link("l2", "object:p", "location:b", "seen_at", None, {"source": "INT-2026-0004",
                                                                    "grading": "B2P"}),
            Link("l3", "person:m", "object:p", "uses_phone"),
            Link("l4", "person:m", "ocg:g", "member_of"),
            Link("l5", "event:s", "location:a", "occurred_at"),
        ],
    )  # fmt: skip


def test_every_entity_is_placed_inside_the_picture_and_the_same_way_each_time():
    chart = LinkChart(_graph(), "Example")
    again = LinkChart(_graph(), "Example")
    assert chart.positions == again.positions
    assert set(chart.positions) == {e.id for e in _graph().entities}
    assert all(0 <= x <= WIDTH and 0 <= y <= HEIGHT for x, y in chart.positions.values())


def test_the_picture_the_elements_and_the_table_hold_the_same_entities_and_links():
    chart = LinkChart(_graph(), "Example")
    svg = ET.fromstring(chart.svg())
    assert len(svg.findall(f"{SVG}line")) == 5
    titles = [t.text for t in svg.iter(f"{SVG}title")]
    assert "Phone: +447700900123" in titles and "Organised crime group: Example Crew" in titles
    elements = chart.elements()
    assert {n["data"]["id"] for n in elements["nodes"]} == {e.id for e in _graph().entities}
    assert {e["data"]["id"] for e in elements["edges"]} == {"l1", "l2", "l3", "l4", "l5"}
    for node in elements["nodes"]:  # the browser draws each where the server did
        x, y = chart.positions[node["data"]["id"]]
        assert (node["position"]["x"], node["position"]["y"]) == (x, y)
    assert set(elements["styles"]) == {"location", "phone", "person", "ocg", "seizure"}
    rows = chart.rows()
    assert len(rows) == 5
    graded = next(r for r in rows if r["link"].id == "l2")
    assert (graded["from"].label, graded["type"], graded["to"].label) == (
        "+447700900123",
        "seen at",
        "9 Birch Walk",
    )
    assert [e.id for e in chart.events()] == ["event:s"]
    assert "6 " not in chart.summary() and "2 places" in chart.summary()
    assert "5 links" in chart.summary()


def test_the_png_is_a_picture_of_the_chart_size():
    png = LinkChart(_graph(), "Example").png(zoom=1)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (WIDTH, HEIGHT)


def test_an_empty_graph_and_a_single_entity_draw():
    assert ET.fromstring(LinkChart(Graph(), "Nothing").svg()) is not None
    one = LinkChart(Graph.of([Entity("person:x", "person", "X")], []), "One")
    assert one.positions == {"person:x": (WIDTH / 2, HEIGHT / 2)}


def test_every_type_of_the_network_has_a_style():
    from safehold.networks.graph import ENTITY_TYPES

    assert set(ENTITY_TYPES) <= set(STYLES)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=8))
def test_any_label_is_escaped_in_the_picture(labels):
    """Users type the labels: whatever they type, the SVG parses and says it back as text."""
    labels = ["".join(c for c in label if c.isprintable()) or "x" for label in labels]
    entities = [Entity(f"person:{i}", "person", label) for i, label in enumerate(labels)]
    links = [Link(f"l{i}", entities[i - 1].id, entities[i].id, "associate_of")
             for i in range(1, len(entities))]  # fmt: skip
    svg = ET.fromstring(LinkChart(Graph.of(entities, links), "Any <title> & more").svg())
    titles = [t.text for t in svg.iter(f"{SVG}title")]
    assert titles[0] == "Any <title> & more"
    assert [f"Person: {label}" for label in labels] == titles[1:]


def test_a_big_charts_table_shows_its_first_rows_and_offers_them_all(rf):
    """Past TABLE_ROWS links the page's table shows the first ones (the chart, its keyboard
    navigation and the CSV have every link) and `?rows=all` shows them all; a small chart's
    table has every link either way."""
    from safehold.networks.network_views import TABLE_ROWS, chart_table

    hub = Entity("object:p", "phone", "+447700900123")
    places = [Entity(f"location:{n:03d}", "location", f"{n} Alder Court") for n in range(250)]
    links = [Link(f"l{n}", hub.id, place.id, "seen_at") for n, place in enumerate(places)]
    big = LinkChart(Graph.of([hub, *places], links), "Big")
    table = chart_table(rf.get("/networks/chart/"), big)
    assert (len(table["rows"]), table["total"]) == (TABLE_ROWS, 250)
    assert table["rows"] == big.rows()[:TABLE_ROWS]
    every = chart_table(rf.get("/networks/chart/", {"rows": "all"}), big)
    assert len(every["rows"]) == 250 == every["total"]
    small = chart_table(rf.get("/networks/chart/"), LinkChart(_graph(), "Small"))
    assert len(small["rows"]) == small["total"] == 5
