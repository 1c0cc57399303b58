"""The network as GraphML, both ways (docs/formats/networks.md): the standard XML format of graph
tools (Gephi, yEd, Cytoscape, networkx, igraph).

Reading refuses any document type declaration before the XML is parsed, so no entity is ever
expanded or fetched (no XXE, no "billion laughs"), and checks the whole file as the CSV reader
does, naming the line of each problem.
"""

import os
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import IO
from xml.parsers import expat

from safehold.networks.formats.validation import (
    EntityRow,
    LinkRow,
    Names,
    NetworkFileError,
    build_graph,
    check_attribute_names,
    escape_attribute,
    escape_text,
    name_problem,
    normalise_name,
)
from safehold.networks.graph import Graph

NS = "http://graphml.graphdrawing.org/xmlns"
ENTITY_FIELDS = ("type", "label")
LINK_FIELDS = ("type", "date")

GraphmlSource = bytes | str | os.PathLike | IO[bytes]


def write_graphml(graph: Graph) -> bytes:
    """Standard GraphML, UTF-8: a <key> for each entity field (type, label) and attribute and
    each link field (type, date) and attribute, all strings; entities are nodes with their id,
    links undirected edges with their id, keeping source and target as recorded."""
    node_keys = sorted({k for e in graph.entities for k in e.attributes})
    edge_keys = sorted({k for link in graph.links for k in link.attributes})
    check_attribute_names(node_keys, ENTITY_FIELDS, "entity")
    check_attribute_names(edge_keys, LINK_FIELDS, "link")
    node_ids = {"type": "n_type", "label": "n_label"} | {
        k: f"n_{i}" for i, k in enumerate(node_keys)
    }
    edge_ids = {"type": "e_type", "date": "e_date"} | {k: f"e_{i}" for i, k in enumerate(edge_keys)}
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<graphml xmlns="{NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{NS} {NS}/1.0/graphml.xsd">',
    ]
    for kind, ids in (("node", node_ids), ("edge", edge_ids)):
        out += [
            f'  <key id="{key_id}" for="{kind}" attr.name="{escape_attribute(name)}" '
            'attr.type="string"/>'
            for name, key_id in ids.items()
        ]
    out.append('  <graph id="safehold" edgedefault="undirected">')
    for e in graph.entities:
        out.append(f'    <node id="{escape_attribute(e.id)}">')
        values = {"type": e.type, "label": e.label, **e.attributes}
        out += [_data(node_ids[k], v) for k, v in values.items()]
        out.append("    </node>")
    for link in graph.links:
        out.append(
            f'    <edge id="{escape_attribute(link.id)}" source="{escape_attribute(link.source)}" '
            f'target="{escape_attribute(link.target)}">'
        )
        values = {"type": link.type}
        if link.date:
            values["date"] = link.date.isoformat()
        values |= link.attributes
        out += [_data(edge_ids[k], v) for k, v in values.items()]
        out.append("    </edge>")
    out += ["  </graph>", "</graphml>", ""]
    return "\n".join(out).encode()


def _data(key_id: str, value: str) -> str:
    return f'      <data key="{key_id}">{escape_text(value)}</data>'


class _Refused(Exception):
    pass


def _refuse_doctype(*args) -> None:
    raise _Refused


def read_graphml(source: GraphmlSource, *, name: str | None = None) -> Graph:
    """The network in a GraphML file (bytes, a path or a binary stream). Nodes need a `type`
    and a `label` (GraphML <data> whose key's attr.name says so); edges a `type`, and a `date`
    if known; other keys are attributes. Every problem raises one NetworkFileError."""
    name = name or _name_of(source)
    try:
        data = _bytes(source)
    except OSError as exc:
        raise NetworkFileError(
            [f"{name}: the file cannot be opened ({exc.strerror or exc})"]
        ) from exc
    root, lines = _parse(data, name)
    problems: list[str] = []
    tag = _local(root.tag)
    if tag != "graphml":
        raise NetworkFileError(
            [f"{name}: this is not a GraphML file (its root element is <{tag}>, not <graphml>)"]
        )

    def where(element: ET.Element) -> str:
        return f"line {lines.get(id(element), '?')}"

    keys: dict[str, tuple[str, str | None, str | None]] = {}  # id -> (for, name, default)
    for key in _children(root, "key"):
        key_id = key.get("id")
        attr_name = key.get("attr.name")
        default = key.find(f"{{{NS}}}default")
        if default is None:
            default = key.find("default")
        if not key_id:
            problems.append(f"{name}, {where(key)}: a <key> has no id")
            continue
        if key_id in keys:
            problems.append(f"{name}, {where(key)}: the key “{key_id}” is declared twice")
            continue
        column = normalise_name(attr_name) if attr_name else None
        if column and (problem := name_problem(column)):
            problems.append(f"{name}, {where(key)}: {problem.replace('column', 'key')}")
            column = None
        default_text = "".join(default.itertext()).strip() if default is not None else None
        keys[key_id] = (key.get("for", "all"), column, default_text)

    graphs = _children(root, "graph")
    if len(graphs) != 1:
        problems.append(f"{name}: the file holds {len(graphs)} graphs; Safehold reads one")
        raise NetworkFileError(problems)
    graph = graphs[0]

    defaults = {
        kind: {
            column: default
            for for_, column, default in keys.values()
            if for_ in (kind, "all") and column and default
        }
        for kind in ("node", "edge")
    }

    def values(element: ET.Element, kind: str) -> dict[str, str]:
        found = dict(defaults[kind])
        for data in _children(element, "data"):
            key_id = data.get("key", "")
            if key_id not in keys:
                problems.append(f"{name}, {where(data)}: the key “{key_id}” is not declared")
                continue
            for_, column, _ = keys[key_id]
            if for_ not in (kind, "all"):
                problems.append(
                    f"{name}, {where(data)}: the key “{key_id}” is for {for_}s, not {kind}s"
                )
            elif column:
                found[column] = "".join(data.itertext()).strip()
        return found

    entities = []
    for node in _children(graph, "node"):
        node_id = (node.get("id") or "").strip()
        at = f"{name}, {where(node)}"
        if _children(node, "graph"):
            problems.append(
                f"{at}: node “{node_id}” holds a nested graph, which Safehold does not read"
            )
        fields = values(node, "node")
        entities.append(
            EntityRow(
                where=f"{at}, node “{node_id}”" if node_id else at,
                place=where(node),
                id=node_id,
                type=fields.pop("type", ""),
                label=fields.pop("label", ""),
                attributes={k: v for k, v in fields.items() if v},
            )
        )
    links = []
    for edge in _children(graph, "edge"):
        at = f"{name}, {where(edge)}"
        fields = values(edge, "edge")
        links.append(
            LinkRow(
                where=f"{at}, edge “{edge.get('id')}”" if edge.get("id") else at,
                place=where(edge),
                id=(edge.get("id") or "").strip(),
                source=(edge.get("source") or "").strip(),
                target=(edge.get("target") or "").strip(),
                type=fields.pop("type", ""),
                date=fields.pop("date", ""),
                attributes={k: v for k, v in fields.items() if v},
            )
        )
    problems += [
        f"{name}, {where(h)}: hyperedges are not read by Safehold: use edges"
        for h in _children(graph, "hyperedge")
    ]
    names = Names(
        entity_id="id",
        link_id="id",
        source="source",
        target="target",
        missing_end=f"the id of a node in {name}",
    )
    return build_graph(entities, links, names=names, problems=problems)


def _parse(data: bytes, name: str) -> tuple[ET.Element, dict[int, int]]:
    """The document and the line each element starts on, by the element's id(). Any document
    type declaration is refused first: with none, no entity can be declared, so none is ever
    expanded or fetched."""
    if b"<!DOCTYPE" in data.upper().replace(b"\x00", b""):
        raise NetworkFileError([_doctype_problem(name)])
    starts: list[int] = []
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    parser.StartElementHandler = lambda *_: starts.append(parser.CurrentLineNumber)
    try:
        parser.Parse(data, True)
    except _Refused:
        raise NetworkFileError([_doctype_problem(name)]) from None
    except expat.ExpatError as exc:
        raise NetworkFileError(
            [
                f"{name}, line {exc.lineno}: this is not well-formed XML "
                f"({expat.ErrorString(exc.code)})"
            ]
        ) from None
    root = ET.fromstring(data)  # noqa: S314 - checked above: well-formed, no DTD, no entities
    lines = {id(el): line for el, line in zip(root.iter(), starts, strict=False)}
    return root, lines


def _doctype_problem(name: str) -> str:
    return (
        f"{name}: the file has a document type declaration (<!DOCTYPE …>), which Safehold "
        "refuses for safety: GraphML does not need one"
    )


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: ET.Element, tag: str) -> list[ET.Element]:
    """Children named `tag`, in the GraphML namespace or in none."""
    return [c for c in element if c.tag in (f"{{{NS}}}{tag}", tag)]


def _name_of(source: GraphmlSource) -> str:
    if isinstance(source, str | os.PathLike):
        return Path(source).name
    name = getattr(source, "name", None)
    return Path(name).name if isinstance(name, str) and name else "network.graphml"


def _bytes(source: GraphmlSource) -> bytes:
    if isinstance(source, bytes):
        return source
    if isinstance(source, str | os.PathLike):
        return Path(source).read_bytes()
    return source.read()
