"""The network's file formats (docs/formats/networks.md): entities.csv + links.csv and GraphML
both ways, i2 ANX out. Plain values, no database."""

import datetime
import io
import xml.etree.ElementTree as ET
import zipfile

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safehold.networks.formats import (
    NetworkFileError,
    read_csv,
    read_csv_zip,
    read_graphml,
    write_anx,
    write_csv,
    write_csv_zip,
    write_graphml,
)
from safehold.networks.formats.anx import ENTITY_TYPES as ANX_TYPES
from safehold.networks.formats.anx import LINK_ID_ATTRIBUTE
from safehold.networks.formats.csv import guard, unguard
from safehold.networks.formats.validation import xml_text
from safehold.networks.graph import ENTITY_TYPES, LINK_TYPES, Entity, Graph, Link

# --- strategies -------------------------------------------------------------------------------

# What a file can carry: no C0 control but tab and line breaks (refused on import, and XML cannot
# hold them), no surrogates or XML non-characters; values are read trimmed.
_CHARACTERS = st.characters(
    blacklist_categories=("Cs",),
    blacklist_characters=[chr(c) for c in range(32) if chr(c) not in "\t\n\r"]
    + ["\ufffe", "\uffff"],
)
values = st.text(_CHARACTERS, min_size=1, max_size=20).map(str.strip).filter(bool)
# Text people type, with what breaks files: quotes, commas, markup, formula starts.
tricky = st.one_of(
    values,
    st.sampled_from(
        [
            '=HYPERLINK("http://x","Click")',
            "'=already quoted",
            "''+2",
            "-1.5",
            "-1+2",
            "@SUM(A1)",
            "O'Brien, Mary",
            'say "hi"',
            "<b>&amp;</b>",
            "line one\r\nline two",
            "tab\tinside",
            "]]>",
        ]
    ),
)
attribute_names = st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True).filter(
    lambda n: n not in ("entity_id", "link_id", "source_id", "target_id", "type", "label", "date")
)
attributes = st.dictionaries(attribute_names, tricky, max_size=3)


@st.composite
def graphs(draw, min_entities=0):
    entities = draw(
        st.lists(
            st.builds(
                Entity,
                id=tricky,
                type=st.sampled_from(ENTITY_TYPES),
                label=tricky,
                attributes=attributes,
            ),
            min_size=min_entities,
            max_size=8,
            unique_by=lambda e: e.id,
        )
    )
    links = []
    if len(entities) >= 2:
        ids = [e.id for e in entities]
        ends = st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True)
        for index in range(draw(st.integers(0, 10))):
            source, target = draw(ends)
            links.append(
                Link(
                    id=f"link:{index}:{draw(tricky)}",
                    source=source,
                    target=target,
                    type=draw(st.sampled_from(LINK_TYPES)),
                    date=draw(st.none() | st.dates()),
                    attributes=draw(attributes),
                )
            )
    return Graph.of(entities, links)


def problems_of(excinfo) -> list[str]:
    return excinfo.value.problems


JANE = Entity("person:1", "person", "Jane Doe", {"grading": "B2P"})
FLAT = Entity("location:1", "location", "Flat 3, 12 High Street")
PHONE = Entity("phone:1", "phone", "07700 900123")
SMALL = Graph.of(
    [JANE, FLAT, PHONE],
    [
        Link(
            "L1",
            "person:1",
            "phone:1",
            "uses_phone",
            datetime.date(2026, 3, 1),
            {"source": "INT-1"},
        ),
        Link("L2", "phone:1", "location:1", "seen_at", None),
    ],
)

# --- CSV --------------------------------------------------------------------------------------


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(graphs())
def test_a_network_written_as_csv_reads_back_the_same(graph):
    entities_text, links_text = write_csv(graph)
    assert read_csv(entities_text.encode(), links_text.encode()) == graph


@given(tricky)
def test_the_formula_guard_is_undone_exactly(value):
    assert unguard(guard(value)) == value


def test_cells_a_spreadsheet_would_run_are_written_with_an_apostrophe():
    graph = Graph.of(
        [
            Entity("p:1", "person", '=HYPERLINK("http://x","Click")', {"note": "@SUM(A1)"}),
            Entity("p:2", "person", "-1.5", {"note": "+44 7700 900123"}),
        ],
        [],
    )
    entities_text, _ = write_csv(graph)
    assert "'=HYPERLINK" in entities_text
    assert "'@SUM(A1)" in entities_text
    assert "'+44 7700 900123" in entities_text
    assert ",-1.5," in entities_text  # a plain number is not a formula
    assert read_csv(entities_text.encode(), write_csv(graph)[1].encode()) == graph


def test_a_spreadsheet_file_with_bom_crlf_uk_dates_and_capitals_is_read():
    entities = (
        "\ufeffEntity_ID,Type,Label,Grading,Source Ref,Date\r\n"
        "P1,Person,Jane Doe,B2P,INT-1,\r\n"
        "\r\n"
        ",,,,,\r\n"
        'L1,location,"Flat 3, 12 High Street",,,\r\n'
        "E1,Seizure,Burner phone seized,,,1/7/2026\r\n"
        "T1,phone, 07700 900123 ,,,\r\n"
    ).encode()
    links = (
        "\ufeffsource_id,target_id,type,date,grading\r\n"
        "P1,T1,Uses Phone,30/04/2026,B2P\r\n"
        "T1,L1,seen_at,,\r\n"
        "E1,L1,occurred_at,2026-07-01,\r\n"
    ).encode()
    graph = read_csv(entities, links)
    assert [(e.id, e.type, e.label) for e in graph.entities] == [
        ("P1", "person", "Jane Doe"),
        ("L1", "location", "Flat 3, 12 High Street"),
        ("E1", "seizure", "Burner phone seized"),
        ("T1", "phone", "07700 900123"),
    ]
    assert graph.entity("P1").attributes == {"grading": "B2P", "source_ref": "INT-1"}
    assert graph.entity("E1").attributes == {"date": "2026-07-01"}
    uses = graph.links[0]
    assert (uses.source, uses.target, uses.type) == ("P1", "T1", "uses_phone")
    assert uses.date == datetime.date(2026, 4, 30)
    assert uses.attributes == {"grading": "B2P"}
    assert graph.links[1].date is None
    assert all(link.id.startswith("link:") for link in graph.links)


def test_every_problem_in_both_files_is_reported_at_once_with_file_row_and_column():
    entities = (
        "entity_id,type,label\n"
        "P1,person,Jane Doe\n"
        "P1,person,Jane again\n"  # row 3: duplicate
        "C1,car,Ford Focus\n"  # row 4: unknown type
        "X1,phone,\n"  # row 5: empty label
        ",person,Nobody\n"  # row 6: no id
    )
    links = (
        "source_id,target_id,type,date\n"
        "P1,P9,associate_of,2026-01-01\n"  # row 2: P9 unknown
        "P1,X1,knows,2026-01-01\n"  # row 3: unknown type; X1 was refused but is no unknown end
        "P1,C1,uses_phone,31/02/2026\n"  # row 4: not a real date
        "P1,C1,uses_phone,04-30-2026\n"  # row 5: not a date
        "P1,P1,associate_of,\n"  # row 6: to itself
    )
    with pytest.raises(NetworkFileError) as excinfo:
        read_csv(io.StringIO(entities), io.StringIO(links))
    problems = problems_of(excinfo)
    assert problems == [
        "entities.csv, row 3, entity_id: “P1” is also on row 2: each entity appears once",
        "entities.csv, row 4, type: “car” is not an entity type: enter one of "
        + ", ".join(ENTITY_TYPES),
        "entities.csv, row 5, label: enter the entity's label",
        "entities.csv, row 6, entity_id: enter the entity's id",
        "links.csv, row 2, target_id: “P9” is not an entity_id in entities.csv",
        "links.csv, row 3, type: “knows” is not a link type: enter one of " + ", ".join(LINK_TYPES),
        "links.csv, row 4, date: “31/02/2026” is not a real date",
        "links.csv, row 5, date: “04-30-2026” is not a date: enter it as YYYY-MM-DD, "
        "like 2026-04-30, or DD/MM/YYYY, like 30/04/2026",
        "links.csv, row 6, target_id: a link joins two different entities, "
        "and this one joins “P1” to itself",
    ]
    message = str(excinfo.value)
    assert message.startswith("9 problems in the file; nothing was imported:\n- entities.csv")
    assert all(f"- {p}" in message for p in problems)


def test_missing_columns_are_reported_for_both_files():
    with pytest.raises(NetworkFileError) as excinfo:
        read_csv(b"id,type,label\nP1,person,Jane\n", b"source_id,target_id,kind\n")
    assert problems_of(excinfo) == [
        "entities.csv, row 1: the header has no entity_id column",
        "links.csv, row 1: the header has no type column",
        "links.csv, row 1: the header has no date column",
    ]


def test_a_header_with_a_repeated_or_unusable_column_is_refused():
    with pytest.raises(NetworkFileError) as excinfo:
        read_csv(
            b"entity_id,type,label,label,1st note\nP1,person,Jane,Jane,x\n",
            b"source_id,target_id,type,date\n",
        )
    assert problems_of(excinfo) == [
        "entities.csv, row 1, label: the label column appears more than once",
        "entities.csv, row 1: “1st_note” cannot be a column name: use letters, digits and _, "
        "starting with a letter",
    ]


def test_a_value_in_a_column_with_no_name_is_an_error_not_lost():
    with pytest.raises(NetworkFileError) as excinfo:
        read_csv(
            b"entity_id,type,label,\nP1,person,Jane,lost?\n", b"source_id,target_id,type,date\n"
        )
    assert problems_of(excinfo) == [
        "entities.csv, row 2, column D: there is a value here, but this column has no name in row 1"
    ]


def test_a_file_that_is_not_utf8_or_holds_a_nul_is_refused_with_the_fix():
    with pytest.raises(NetworkFileError) as excinfo:
        read_csv(
            "entity_id,type,label\nP1,person,Zoë\n".encode("cp1252"),
            b"source_id,target_id,type,date\n",
        )
    assert problems_of(excinfo) == [
        "entities.csv: The file is not UTF-8 text: in Excel, use Save As and choose "
        "“CSV UTF-8 (Comma delimited)”"
    ]
    with pytest.raises(NetworkFileError) as excinfo:
        read_csv(b"entity_id,type,label\nP1,person,Ja\x00ne\n", b"source_id,target_id,type,date\n")
    assert problems_of(excinfo) == [
        "entities.csv, row 2, label: contains a NUL character (U+0000), which Safehold does not "
        "accept: remove it"
    ]


def test_an_empty_file_and_a_missing_file_are_reported(tmp_path):
    with pytest.raises(NetworkFileError) as excinfo:
        read_csv(b"", tmp_path / "nowhere.csv")
    assert problems_of(excinfo) == [
        "entities.csv: the first row must name the columns: at least entity_id, type, label",
        "nowhere.csv: the file cannot be opened (No such file or directory)",
    ]


def test_files_are_read_from_paths_and_text_streams_and_named_in_errors(tmp_path):
    entities_text, links_text = write_csv(SMALL)
    entities_path, links_path = tmp_path / "people.csv", tmp_path / "links.csv"
    entities_path.write_text(entities_text, encoding="utf-8-sig", newline="")
    links_path.write_text(links_text, encoding="utf-8", newline="")
    assert read_csv(entities_path, str(links_path)) == SMALL
    with open(entities_path, encoding="utf-8", newline="") as e, open(links_path, newline="") as lk:
        assert read_csv(e, lk) == SMALL  # the BOM read as text is dropped too
    links_path.write_text("source_id,target_id,type,date\nperson:1,P9,owns,\n", encoding="utf-8")
    with pytest.raises(NetworkFileError) as excinfo:
        read_csv(entities_path, links_path)
    assert problems_of(excinfo) == [
        "links.csv, row 2, target_id: “P9” is not an entity_id in people.csv"
    ]


def test_links_without_an_id_get_the_same_id_on_every_read_whatever_the_row_order():
    entities = b"entity_id,type,label\nP1,person,Jane\nP2,person,John\nT1,phone,07700 900123\n"
    rows = [b"P1,T1,uses_phone,2026-01-01,INT-1\n", b"P2,T1,uses_phone,,INT-2\n"]
    header = b"source_id,target_id,type,date,source\n"
    first = read_csv(entities, header + rows[0] + rows[1])
    again = read_csv(entities, header + rows[1] + rows[0])
    assert {link.id for link in first.links} == {link.id for link in again.links}
    assert len({link.id for link in first.links}) == 2


def test_the_same_link_twice_without_an_id_is_refused_and_a_repeated_link_id_too():
    entities = b"entity_id,type,label\nP1,person,Jane\nP2,person,John\n"
    with pytest.raises(NetworkFileError) as excinfo:
        read_csv(
            entities, b"source_id,target_id,type,date\nP1,P2,associate_of,\nP1,P2,associate_of,\n"
        )
    assert problems_of(excinfo) == [
        "links.csv, row 3: this link is the same as the one on row 2 (same ends, type, date and "
        "attributes): remove one, or give each a link_id"
    ]
    with pytest.raises(NetworkFileError) as excinfo:
        read_csv(
            entities,
            b"link_id,source_id,target_id,type,date\nA,P1,P2,associate_of,\nA,P2,P1,linked_to,\n",
        )
    assert problems_of(excinfo) == [
        "links.csv, row 3, link_id: “A” is also on row 2: each link appears once"
    ]


def test_an_attribute_a_writer_cannot_write_as_a_column_is_refused():
    with pytest.raises(ValueError, match="“type”"):
        write_csv(Graph.of([Entity("p", "person", "P", {"type": "x"})], []))


@settings(max_examples=50, suppress_health_check=[HealthCheck.too_slow])
@given(graphs())
def test_a_network_written_as_a_zipped_pair_reads_back_the_same(graph):
    assert read_csv_zip(write_csv_zip(graph)) == graph


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in files.items():
            archive.writestr(member, data)
    return out.getvalue()


def test_the_zipped_pair_has_a_bom_for_excel_and_may_sit_in_a_folder(tmp_path):
    with zipfile.ZipFile(io.BytesIO(write_csv_zip(SMALL))) as archive:
        assert archive.namelist() == ["entities.csv", "links.csv"]
        assert archive.read("entities.csv").startswith(b"\xef\xbb\xbfentity_id,type,label")
    entities_text, links_text = write_csv(SMALL)
    path = tmp_path / "export.zip"
    path.write_bytes(
        _zip(
            {"export/Entities.CSV": entities_text.encode(), "export/links.csv": links_text.encode()}
        )
    )
    assert read_csv_zip(path) == SMALL


def test_a_zip_without_the_pair_or_too_big_or_not_a_zip_is_refused_and_problems_name_it():
    entities_text, _ = write_csv(SMALL)
    with pytest.raises(NetworkFileError) as excinfo:
        read_csv_zip(_zip({"a/links.csv": b"x", "b/links.csv": b"y"}), name="upload.zip")
    assert problems_of(excinfo) == [
        "upload.zip: the ZIP file has no entities.csv",
        "upload.zip: the ZIP file has more than one links.csv",
    ]
    with pytest.raises(NetworkFileError) as excinfo:
        read_csv_zip(write_csv_zip(SMALL), max_bytes=100)
    [problem] = problems_of(excinfo)
    assert problem.startswith("network.zip: entities.csv and links.csv are too big to import (")
    with pytest.raises(NetworkFileError) as excinfo:
        read_csv_zip(b"entity_id,type,label\n")
    assert problems_of(excinfo) == ["network.zip: this is not a ZIP file"]
    with pytest.raises(NetworkFileError) as excinfo:
        read_csv_zip(
            io.BytesIO(_zip({"entities.csv": entities_text.encode(), "links.csv": b"source_id\n"}))
        )
    assert problems_of(excinfo) == [
        "network.zip: links.csv, row 1: the header has no target_id column",
        "network.zip: links.csv, row 1: the header has no type column",
        "network.zip: links.csv, row 1: the header has no date column",
    ]


# --- GraphML ----------------------------------------------------------------------------------


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(graphs())
def test_a_network_written_as_graphml_reads_back_the_same(graph):
    assert read_graphml(write_graphml(graph)) == graph


def test_networkx_reads_the_graphml_written():
    read = nx.read_graphml(io.BytesIO(write_graphml(SMALL)))
    assert set(read.nodes) == {"person:1", "location:1", "phone:1"}
    assert read.nodes["person:1"] == {"type": "person", "label": "Jane Doe", "grading": "B2P"}
    assert read.number_of_edges() == 2
    assert not read.is_directed()
    assert read.edges["person:1", "phone:1"] == {
        "type": "uses_phone",
        "date": "2026-03-01",
        "source": "INT-1",
        "id": "L1",
    }


@settings(max_examples=50, suppress_health_check=[HealthCheck.too_slow])
@given(graphs())
def test_networkx_reads_every_graphml_written_with_the_same_nodes_and_edges(graph):
    read = nx.read_graphml(io.BytesIO(write_graphml(graph)), force_multigraph=True)
    assert set(read.nodes) == {e.id for e in graph.entities}
    assert {(read.nodes[e.id]["type"], read.nodes[e.id]["label"]) for e in graph.entities} == {
        (e.type, e.label) for e in graph.entities
    }
    assert read.number_of_edges() == len(graph.links)


def test_igraph_reads_the_graphml_written(tmp_path):
    import igraph

    path = tmp_path / "network.graphml"
    path.write_bytes(write_graphml(SMALL))
    read = igraph.Graph.Read_GraphML(str(path))
    assert not read.is_directed()
    assert read.vs["id"] == [e.id for e in SMALL.entities]
    assert read.vs["type"] == [e.type for e in SMALL.entities]
    # igraph stores an undirected edge's ends in its own order.
    assert [{read.vs[e.source]["id"], read.vs[e.target]["id"]} for e in read.es] == [
        {link.source, link.target} for link in SMALL.links
    ]
    assert read.es["type"] == ["uses_phone", "seen_at"]


def test_a_link_without_an_id_gets_the_same_id_from_csv_and_from_graphml():
    from_csv = read_csv(
        b"entity_id,type,label\nP1,person,Jane\nT1,phone,07700 900123\n",
        b"source_id,target_id,type,date,source\nP1,T1,uses_phone,30/04/2026,INT-1\n",
    )
    from_graphml = read_graphml(
        b"""<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="t" for="all" attr.name="type"/><key id="l" for="node" attr.name="label"/>
  <key id="d" for="edge" attr.name="date"/><key id="s" for="edge" attr.name="source"/>
  <graph edgedefault="undirected">
    <node id="P1"><data key="t">person</data><data key="l">Jane</data></node>
    <node id="T1"><data key="t">phone</data><data key="l">07700 900123</data></node>
    <edge source="P1" target="T1"><data key="t">uses_phone</data><data key="d">2026-04-30</data>
      <data key="s">INT-1</data></edge>
  </graph>
</graphml>"""
    )
    assert from_csv == from_graphml


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(graphs(min_entities=1), st.data())
def test_one_bad_row_anywhere_refuses_the_whole_pair_and_names_that_row(graph, data):
    entities_text, links_text = write_csv(graph)
    # Rewrite one entity's row with an unknown type (ids and labels may hold line breaks, so the
    # row is rebuilt from the graph rather than edited in place).
    index = data.draw(st.integers(0, len(graph.entities) - 1))
    bad = Graph.of(
        [
            Entity(e.id, "alien" if i == index else e.type, e.label, e.attributes)
            for i, e in enumerate(graph.entities)
        ],
        graph.links,
    )
    with pytest.raises(NetworkFileError) as excinfo:
        read_csv(write_csv(bad)[0].encode(), links_text.encode())
    [problem] = problems_of(excinfo)
    assert problem.startswith("entities.csv, row ")
    assert "type: “alien” is not an entity type" in problem
    # The good pair still reads.
    assert read_csv(entities_text.encode(), links_text.encode()) == graph


def test_graphml_written_by_networkx_is_read():
    g = nx.MultiGraph()
    g.add_node("P1", type="person", label="Jane Doe", grading="B2P")
    g.add_node("T1", type="Phone", label="07700 900123")
    g.add_edge("P1", "T1", type="uses_phone", date="2026-04-30")
    out = io.BytesIO()
    nx.write_graphml(g, out)
    graph = read_graphml(out.getvalue())
    assert graph.entity("P1") == Entity("P1", "person", "Jane Doe", {"grading": "B2P"})
    assert graph.entity("T1").type == "phone"
    [link] = graph.links
    assert (link.source, link.target, link.type, link.date) == (
        "P1",
        "T1",
        "uses_phone",
        datetime.date(2026, 4, 30),
    )


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE graphml [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="t" for="node" attr.name="type"/><key id="l" for="node" attr.name="label"/>
  <graph edgedefault="undirected"><node id="a"><data key="t">person</data>
  <data key="l">&secret;</data></node></graph>
</graphml>"""
LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<graphml><graph><node id="&lol2;"/></graph></graphml>"""


@pytest.mark.parametrize("document", [XXE, LAUGHS, XXE.decode().encode("utf-16")])
def test_a_graphml_file_with_a_document_type_declaration_is_refused_unread(document):
    with pytest.raises(NetworkFileError) as excinfo:
        read_graphml(document, name="evil.graphml")
    assert problems_of(excinfo) == [
        "evil.graphml: the file has a document type declaration (<!DOCTYPE …>), which Safehold "
        "refuses for safety: GraphML does not need one"
    ]


def test_graphml_that_is_not_well_formed_or_not_graphml_is_refused():
    with pytest.raises(NetworkFileError) as excinfo:
        read_graphml(b"<graphml>\n<graph>\n<node id='a'>\n</graph></graphml>")
    assert problems_of(excinfo) == [
        "network.graphml, line 4: this is not well-formed XML (mismatched tag)"
    ]
    with pytest.raises(NetworkFileError) as excinfo:
        read_graphml(b"<gexf><graph/></gexf>")
    assert problems_of(excinfo) == [
        "network.graphml: this is not a GraphML file (its root element is <gexf>, not <graphml>)"
    ]


def test_graphml_problems_are_all_reported_with_their_lines(tmp_path):
    path = tmp_path / "chart.graphml"
    path.write_bytes(
        b"""<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="t" for="node" attr.name="type"/>
  <key id="l" for="node" attr.name="Label"/>
  <key id="et" for="edge" attr.name="type"/>
  <key id="d" for="edge" attr.name="date"/>
  <graph edgedefault="undirected">
    <node id="P1"><data key="t">person</data><data key="l">Jane</data></node>
    <node id="C1"><data key="t">car</data><data key="l">Ford</data></node>
    <node id="X1"><data key="t">phone</data></node>
    <node id="P1"><data key="t">person</data><data key="l">Again</data><data key="zz">?</data></node>
    <edge source="P1" target="P9"><data key="et">associate_of</data></edge>
    <edge id="e2" source="P1" target="X1"><data key="et">uses_phone</data><data key="d">2026-13-01</data></edge>
  </graph>
</graphml>
"""
    )
    with pytest.raises(NetworkFileError) as excinfo:
        read_graphml(path)
    assert problems_of(excinfo) == [
        "chart.graphml, line 11: the key “zz” is not declared",
        "chart.graphml, line 9, node “C1”, type: “car” is not an entity type: enter one of "
        + ", ".join(ENTITY_TYPES),
        "chart.graphml, line 10, node “X1”, label: enter the entity's label",
        "chart.graphml, line 11, node “P1”, id: “P1” is also on line 8: each entity appears once",
        "chart.graphml, line 12, target: “P9” is not the id of a node in chart.graphml",
        "chart.graphml, line 13, edge “e2”, date: “2026-13-01” is not a real date",
    ]


# --- i2 ANX -----------------------------------------------------------------------------------


def _chart(graph: Graph, title: str = "Chart") -> ET.Element:
    data = write_anx(graph, title=title)
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(data)


def _items(chart: ET.Element):
    items = chart.findall("./ChartItemCollection/ChartItem")
    entities = [i for i in items if i.find("./End/Entity") is not None]
    links = [i for i in items if i.find("./Link") is not None]
    assert len(entities) + len(links) == len(items)
    return entities, links


def _link_id(item: ET.Element) -> str:
    [value] = [
        a.get("Value")
        for a in item.findall("./AttributeCollection/Attribute")
        if a.get("AttributeClass") == LINK_ID_ATTRIBUTE
    ]
    return value


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(graphs(), tricky)
def test_the_anx_chart_parses_with_the_same_entities_links_and_ends(graph, title):
    chart = _chart(graph, title)
    entities, links = _items(chart)
    assert [i.find("./End/Entity").get("EntityId") for i in entities] == [
        e.id for e in graph.entities
    ]
    assert [i.get("Label") for i in entities] == [e.label for e in graph.entities]
    assert {
        _link_id(i): (i.find("Link").get("End1Id"), i.find("Link").get("End2Id")) for i in links
    } == {link.id: (link.source, link.target) for link in graph.links}
    assert len(links) == len(graph.links)
    assert chart.find("./Summary/FieldCollection/Field").get("Field") == title
    # Every XML id is unique, and every reference is to something declared.
    xml_ids = [el.get("Id") for el in chart.iter() if el.get("Id")]
    assert len(xml_ids) == len(set(xml_ids))
    classes = {c.get("Id"): c.get("Name") for c in chart.iter("AttributeClass")}
    for attribute in chart.iter("Attribute"):
        assert classes[attribute.get("AttributeClassReference")] == attribute.get("AttributeClass")
    entity_types = {t.get("Name") for t in chart.iter("EntityType")}
    assert {s.get("Type") for s in chart.iter("IconStyle")} == entity_types
    link_types = {t.get("Id"): t.get("Name") for t in chart.iter("LinkType")}
    for style in chart.iter("LinkStyle"):
        assert link_types[style.get("LinkTypeReference")] == style.get("Type")
    assert set(link_types.values()) == {s.get("Type") for s in chart.iter("LinkStyle")}


def test_the_anx_chart_declares_each_type_with_its_i2_icon_and_carries_dates_and_grading():
    chart = _chart(SMALL, title="Cuckooing network: Brinnington")
    icons = {t.get("Name"): t.get("IconFile") for t in chart.iter("EntityType")}
    assert icons == {"Person": "Person", "Location": "House", "Phone": "Mobile Phone"}
    entities, links = _items(chart)
    jane = entities[0]
    assert jane.find("./End/Entity/Icon/IconStyle").get("Type") == "Person"
    assert {a.get("AttributeClass"): a.get("Value") for a in jane.iter("Attribute")} == {
        "Grading": "B2P"
    }
    uses, seen = links
    assert uses.get("DateSet") == "true"
    assert uses.get("DateTime") == "2026-03-01T00:00:00.000"
    assert seen.get("DateSet") is None
    assert uses.find("./Link/LinkStyle").get("ArrowStyle") == "ArrowOnHead"
    assert uses.find("./Link/LinkStyle").get("Type") == "Uses phone"
    assert {a.get("AttributeClass"): a.get("Value") for a in uses.iter("Attribute")} == {
        "Source": "INT-1",
        LINK_ID_ATTRIBUTE: "L1",
    }


def test_every_safehold_entity_type_has_an_i2_type_and_icon():
    assert set(ANX_TYPES) == set(ENTITY_TYPES)
    assert ANX_TYPES["person"][1] == "Person"
    assert ANX_TYPES["phone"][1] == "Mobile Phone"
    assert ANX_TYPES["vehicle"][1] == "Car"
    assert ANX_TYPES["ocg"][1] == "Organisation"


def test_an_entity_date_is_the_chart_items_date_and_associates_have_no_arrow():
    graph = Graph.of(
        [
            Entity("e:1", "seizure", "Seizure", {"date": "2026-05-02"}),
            Entity("p:1", "person", "A"),
            Entity("p:2", "person", "B", {"date": "not known"}),
        ],
        [Link("l", "p:1", "p:2", "associate_of")],
    )
    chart = _chart(graph)
    entities, [link] = _items(chart)
    assert entities[0].get("DateTime") == "2026-05-02T00:00:00.000"
    assert entities[0].find("AttributeCollection") is None
    assert entities[2].get("DateSet") is None
    assert [a.get("Value") for a in entities[2].iter("Attribute")] == ["not known"]
    assert link.find("./Link/LinkStyle").get("ArrowStyle") == "ArrowNone"


def test_text_xml_cannot_hold_is_replaced_so_the_chart_stays_well_formed():
    graph = Graph.of([Entity("p\x01", "person", "Bell\x07 & <Co>")], [])
    entities, _ = _items(_chart(graph, title="A\x00B"))
    assert entities[0].get("Label") == "Bell\ufffd & <Co>"
    assert entities[0].find("./End/Entity").get("EntityId") == "p\ufffd"


@settings(max_examples=100)
@given(st.text(), st.text(), st.text(), st.text())
def test_any_text_at_all_gives_well_formed_anx_and_graphml(label, value, entity_id, title):
    graph = Graph.of(
        [
            Entity(entity_id, "person", label, {"note": value}),
            Entity(entity_id + "x", "phone", "T"),
        ],
        [Link(value, entity_id, entity_id + "x", "uses_phone", attributes={"source": label})],
    )
    entities, [link] = _items(_chart(graph, title))
    assert entities[0].get("Label") == xml_text(label)
    assert entities[0].find("./End/Entity").get("EntityId") == xml_text(entity_id)
    assert _link_id(link) == xml_text(value)
    root = ET.fromstring(write_graphml(graph))
    assert len(list(root.iter("{http://graphml.graphdrawing.org/xmlns}node"))) == 2


def test_an_empty_network_is_a_well_formed_chart():
    assert _items(_chart(Graph())) == ([], [])


# --- errors -----------------------------------------------------------------------------------


def test_when_entities_csv_cannot_be_read_links_are_still_checked_but_not_their_ends():
    with pytest.raises(NetworkFileError) as excinfo:
        read_csv(
            b"entity,type,label\nP1,person,Jane\n",
            b"source_id,target_id,type,date\nP1,P2,owns,soon\n",
        )
    assert problems_of(excinfo) == [
        "entities.csv, row 1: the header has no entity_id column",
        "links.csv, row 2, date: “soon” is not a date: enter it as YYYY-MM-DD, like 2026-04-30, "
        "or DD/MM/YYYY, like 30/04/2026",
    ]


def test_the_error_is_a_service_error_whose_message_lists_the_first_hundred_problems():
    from safehold.core.errors import ServiceError

    rows = "".join(f"P{n},alien,Someone\n" for n in range(150))
    with pytest.raises(NetworkFileError) as excinfo:
        read_csv(("entity_id,type,label\n" + rows).encode(), b"source_id,target_id,type,date\n")
    error = excinfo.value
    assert isinstance(error, ServiceError)
    assert len(error.problems) == 150
    lines = str(error).splitlines()
    assert lines[0] == "150 problems in the file; nothing was imported:"
    assert len(lines) == 1 + 100 + 1
    assert lines[-1] == "- and 50 more"


def test_graphml_key_defaults_apply_to_nodes_without_that_data():
    graph = read_graphml(
        b"""<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="t" for="node" attr.name="type"><default>person</default></key>
  <key id="l" for="node" attr.name="label"/>
  <graph edgedefault="directed">
    <node id="a"><data key="l">A</data></node>
    <node id="b"><data key="t">phone</data><data key="l">B</data></node>
  </graph>
</graphml>"""
    )
    assert [(e.id, e.type) for e in graph.entities] == [("a", "person"), ("b", "phone")]
