"""The link chart: a `graph.Graph` laid out once on the server and drawn three ways from the same
positions, so the picture, the interactive chart and the printout agree:

- `LinkChart.svg()`: the picture, server-drawn SVG (the page without JavaScript, the print-out
  and the "Download the picture (SVG)" link); `png()` the same picture as PNG, drawn with Pillow
  (no browser on the server);
- `LinkChart.elements()`: the same nodes and links for Cytoscape.js (`static/networks/
  link_chart.js`, from npm, served offline) with the server's positions (a "preset" layout: the
  browser lays nothing out, so a 500-node chart is drawn at once);
- `LinkChart.rows()` and `events()`: the same data as tables (the accessible equivalent, and
  what a keyboard user works from: each entity links to the chart around it).

Each entity type has a shape, a colour and a pictogram (`STYLES`); colour is never the only
carrier: the shape differs, and every label names the entity.
"""

import base64
import io
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from xml.sax.saxutils import escape

import igraph

from safehold.networks.analysis import seeded_igraph
from safehold.networks.graph import Graph

WIDTH, HEIGHT, MARGIN, RADIUS = 960, 640, 48, 13
FONT = Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf")  # fonts-liberation
LINK_LABELS_UP_TO = 150  # past this many links the picture names links in the table only
LAYOUT_SEED = 20161  # the same graph is laid out the same way every time


@dataclass(frozen=True)
class Style:
    """How an entity type is drawn: Cytoscape's shape, a fill colour (white pictogram on it,
    contrast 4.5:1 or more) and a 24 by 24 pictogram path."""

    name: str
    shape: str
    colour: str
    icon: str


_PERSON = "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm-7 9c0-4 3-7 7-7s7 3 7 7z"
_EVENT = "M12 2l3 7h7l-5.5 4.5L18.5 21 12 16.5 5.5 21l2-7.5L2 9h7z"
STYLES = {
    "person": Style("Person", "ellipse", "#1d70b8", _PERSON),
    "location": Style("Place", "round-rectangle", "#00703c", "M3 11l9-7 9 7v10h-6v-6H9v6H3z"),
    "ocg": Style(
        "Organised crime group",
        "octagon",
        "#d4351c",
        "M7 10a3 3 0 1 0 0-6 3 3 0 0 0 0 6zm10 0a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM1 20c0-4 3-7 6-7"
        "s5 2 5 4c0-2 2-4 5-4s6 3 6 7z",
    ),
    "phone": Style(
        "Phone",
        "diamond",
        "#4c2c92",
        "M8 2h8a1 1 0 0 1 1 1v18a1 1 0 0 1-1 1H8a1 1 0 0 1-1-1V3a1 1 0 0 1 1-1zm1 3v12h6V5z",
    ),
    "vehicle": Style(
        "Vehicle",
        "diamond",
        "#912b88",
        "M2 13l2-5h16l2 5v5h-2.2a2.5 2.5 0 0 1-4.6 0H8.8a2.5 2.5 0 0 1-4.6 0H2z",
    ),
    "bank_account": Style(
        "Bank account",
        "diamond",
        "#5e5e9a",
        "M2 9l10-6 10 6v2H2zm2 3h3v7H4zm6.5 0h3v7h-3zm6.5 0h3v7h-3zM2 20h20v2H2z",
    ),
    "social_media": Style(
        "Social-media handle",
        "diamond",
        "#1f6f8b",
        "M12 3a9 9 0 1 0 5 16.5l-1-1.7A7 7 0 1 1 19 12v1a1.5 1.5 0 0 1-3 0V8h-2v1a4.5 4.5 0 1 0"
        " .6 6.3A3.5 3.5 0 0 0 21 13v-1a9 9 0 0 0-9-9zm0 6.5a2.5 2.5 0 1 1 0 5 2.5 2.5 0 0 1 0-5z",
    ),
    "weapon": Style("Weapon", "diamond", "#942514", "M3 19l9-9 2 2-9 9zm10-10l7-7 2 2-7 7z"),
    "incident": Style("Incident", "triangle", "#b25000", _EVENT),
    "operation": Style("Operation", "triangle", "#505a5f", _EVENT),
    "seizure": Style("Seizure", "triangle", "#7a5c00", _EVENT),
    "intelligence": Style("Intelligence report", "triangle", "#28536b", _EVENT),
}
OTHER = Style("Other", "ellipse", "#505a5f", _PERSON)


def style_of(entity_type: str) -> Style:
    return STYLES.get(entity_type, OTHER)


def icon_svg(style: Style) -> str:
    """The pictogram in a coloured disc, as a stand-alone SVG (Cytoscape's background image)."""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="-4 -4 32 32" width="32" height="32">'
        f'<circle cx="12" cy="12" r="16" fill="{style.colour}"/>'
        f'<path d="{style.icon}" fill="#ffffff"/></svg>'
    )


def _words(value: str) -> str:
    return value.replace("_", " ")


@dataclass(frozen=True)
class LinkChart:
    """One chart of a graph: what it shows (`title`, and `description`, its text alternative)."""

    graph: Graph
    title: str
    description: str = ""

    @cached_property
    def positions(self) -> dict[str, tuple[float, float]]:
        """Every entity's place in the picture (Fruchterman-Reingold in igraph, seeded)."""
        ids = [e.id for e in self.graph.entities]
        if not ids:
            return {}
        if len(ids) == 1:
            return {ids[0]: (WIDTH / 2, HEIGHT / 2)}
        index = {entity_id: i for i, entity_id in enumerate(ids)}
        edges = sorted(
            {
                (min(index[k.source], index[k.target]), max(index[k.source], index[k.target]))
                for k in self.graph.links
                if k.source in index and k.target in index and k.source != k.target
            }
        )
        network = igraph.Graph(n=len(ids), edges=edges)
        with seeded_igraph(LAYOUT_SEED):
            # The grid variant is ten times faster on a few hundred entities, alike to the eye.
            layout = network.layout_fruchterman_reingold(niter=500, grid=len(ids) > 200)
        xs, ys = zip(*layout.coords, strict=True)
        span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
        scale = min((WIDTH - 2 * MARGIN) / span_x, (HEIGHT - 2 * MARGIN) / span_y)
        # Centred in the picture, the same scale on both axes (distances mean the same).
        left = (WIDTH - span_x * scale) / 2
        top = (HEIGHT - span_y * scale) / 2
        return {
            entity_id: (
                round(left + (x - min(xs)) * scale, 1),
                round(top + (y - min(ys)) * scale, 1),
            )
            for entity_id, (x, y) in zip(ids, layout.coords, strict=True)
        }

    def types(self) -> list[tuple[str, Style]]:
        """The entity types in the chart, in the order of `STYLES` (the legend)."""
        present = {e.type for e in self.graph.entities}
        return [(t, s) for t, s in STYLES.items() if t in present] + (
            [("other", OTHER)] if present - set(STYLES) else []
        )

    def elements(self) -> dict:
        """Cytoscape.js's elements and the icons of the types, for `json_script`."""
        at = self.positions
        nodes = [
            {
                "data": {
                    "id": e.id,
                    "label": e.label,
                    "type": e.type,
                    "typeName": style_of(e.type).name,
                },
                "position": {"x": at[e.id][0], "y": at[e.id][1]},
            }
            for e in self.graph.entities
        ]
        edges = [
            {
                "data": {
                    "id": k.id,
                    "source": k.source,
                    "target": k.target,
                    "label": _words(k.type),
                    "type": k.type,
                    "date": k.date.isoformat() if k.date else "",
                },
            }
            for k in self.graph.links
            if k.source in at and k.target in at
        ]
        styles = {
            t: {"shape": s.shape, "colour": s.colour,
                "icon": "data:image/svg+xml;base64,"
                + base64.b64encode(icon_svg(s).encode()).decode()}
            for t, s in self.types()
        }  # fmt: skip
        return {
            "nodes": nodes, "edges": edges, "styles": styles, "title": self.title,
            "linkLabelsUpTo": LINK_LABELS_UP_TO,
        }  # fmt: skip

    def rows(self) -> list[dict]:
        """Each link as a row of the table beside the chart: the two entities by label and type."""
        by_id = {e.id: e for e in self.graph.entities}
        rows = []
        for k in self.graph.links:
            a, b = by_id.get(k.source), by_id.get(k.target)
            if a is None or b is None:
                continue
            rows.append({
                "link": k, "type": _words(k.type), "from": a, "to": b,
                "from_type": style_of(a.type).name, "to_type": style_of(b.type).name,
            })  # fmt: skip
        return sorted(rows, key=lambda r: (r["from"].label, r["type"], r["to"].label))

    def events(self) -> list:
        """The timeline: event entities with a date, oldest first (undated ones last)."""
        kinds = {"incident", "operation", "seizure", "intelligence"}
        dated = [e for e in self.graph.entities if e.type in kinds]
        return sorted(dated, key=lambda e: (e.attributes.get("date") or "9999", e.label))

    def svg(self) -> str:
        """The picture as SVG markup (escaped: labels are the users' text)."""
        at = self.positions
        title_id, desc_id = "link-chart-title", "link-chart-desc"
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
            f'width="{WIDTH}" height="{HEIGHT}" role="img" '
            f'aria-labelledby="{title_id} {desc_id}" class="link-chart__svg" '
            'font-family="Arial, Helvetica, sans-serif">',
            f'<title id="{title_id}">{escape(self.title)}</title>',
            f'<desc id="{desc_id}">{escape(self.summary())}</desc>',
            f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        ]
        named = len(self.graph.links) <= LINK_LABELS_UP_TO
        for k in self.graph.links:
            if k.source not in at or k.target not in at or k.source == k.target:
                continue
            (x1, y1), (x2, y2) = at[k.source], at[k.target]
            parts.append(
                f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#6f777b" '
                'stroke-width="1.2"/>'
            )
            if named:
                mx, my = (x1 + x2) / 2, (y1 + y2) / 2
                parts.append(
                    f'<text x="{mx:.1f}" y="{my:.1f}" font-size="9" fill="#505a5f" '
                    f'text-anchor="middle">{escape(_words(k.type))}</text>'
                )
        scale = 2 * RADIUS / 32
        for e in self.graph.entities:
            x, y = at[e.id]
            s = style_of(e.type)
            parts.append(
                f"<g><title>{escape(f'{s.name}: {e.label}')}</title>"
                f'<circle cx="{x}" cy="{y}" r="{RADIUS}" fill="{s.colour}"/>'
                f'<path d="{s.icon}" fill="#ffffff" transform="translate({x - RADIUS + 4 * scale:.1f} '
                f'{y - RADIUS + 4 * scale:.1f}) scale({scale:.3f})"/>'
                f'<text x="{x}" y="{y + RADIUS + 11}" font-size="11" fill="#0b0c0c" '
                f'text-anchor="middle">{escape(_short(e.label))}</text></g>'
            )
        parts.append("</svg>")
        return "".join(parts)

    def summary(self) -> str:
        """The chart in one sentence (the picture's text alternative)."""
        counts = {}
        for e in self.graph.entities:
            counts[style_of(e.type).name] = counts.get(style_of(e.type).name, 0) + 1
        things = ", ".join(
            f"{n} {name.lower()}{'' if n == 1 else 's'}" for name, n in counts.items()
        )
        links = len(self.graph.links)
        return (
            f"{self.description + ' ' if self.description else ''}"
            f"{things or 'No entities'}; {links} link{'' if links == 1 else 's'}. "
            "The table below the chart lists every link."
        )

    def png(self, *, zoom: int = 2) -> bytes:
        """The picture as PNG, drawn with Pillow from the same positions: the types' shapes
        (the pictograms are in the SVG), the labels, and the links' names when there are few."""
        from PIL import Image, ImageDraw, ImageFont

        image = Image.new("RGB", (WIDTH * zoom, HEIGHT * zoom), "#ffffff")
        draw = ImageDraw.Draw(image)
        font = ImageFont.truetype(str(FONT), 11 * zoom)
        small = ImageFont.truetype(str(FONT), 9 * zoom)
        at = {k: (x * zoom, y * zoom) for k, (x, y) in self.positions.items()}
        named = len(self.graph.links) <= LINK_LABELS_UP_TO
        for k in self.graph.links:
            if k.source in at and k.target in at and k.source != k.target:
                (x1, y1), (x2, y2) = at[k.source], at[k.target]
                draw.line((x1, y1, x2, y2), fill="#6f777b", width=zoom)
                if named:
                    middle = ((x1 + x2) / 2, (y1 + y2) / 2)
                    draw.text(middle, _words(k.type), fill="#505a5f", font=small, anchor="mm")
        r = RADIUS * zoom
        for e in self.graph.entities:
            x, y = at[e.id]
            s = style_of(e.type)
            if s.shape == "round-rectangle":
                draw.rounded_rectangle((x - r, y - r, x + r, y + r), radius=r // 3, fill=s.colour)
            elif s.shape == "diamond":
                draw.polygon([(x, y - r), (x + r, y), (x, y + r), (x - r, y)], fill=s.colour)
            elif s.shape == "triangle":
                draw.polygon(
                    [(x, y - r), (x + r, y + r * 0.8), (x - r, y + r * 0.8)], fill=s.colour
                )
            elif s.shape == "octagon":
                draw.regular_polygon((x, y, r), 8, fill=s.colour)
            else:
                draw.ellipse((x - r, y - r, x + r, y + r), fill=s.colour)
            draw.text(
                (x, y + r + 7 * zoom), _short(e.label), fill="#0b0c0c", font=font, anchor="mm"
            )
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=False)
        return out.getvalue()


def _short(label: str, most: int = 28) -> str:
    return label if len(label) <= most else label[: most - 1] + "…"
