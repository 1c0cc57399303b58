"""The network as an i2 Analyst's Notebook chart in ANX (its XML exchange format), for analysts
who carry on in i2 (docs/formats/networks.md says what is in it and what is assumed).

Every entity is a ChartItem holding an End, an Entity and its Icon; the Entity's `EntityId` and
`Identity` are the Safehold entity id, which is what each link's `End1Id` and `End2Id` name.
Dates are the ChartItem's DateTime; grading, source and the other attributes are i2 attributes
of declared attribute classes; each entity and link type used is declared once, entity types
with an icon from i2's standard set.
"""

import datetime
import math
from collections.abc import Mapping

from safehold.networks.formats.validation import escape_attribute
from safehold.networks.graph import Graph

# Safehold entity type -> (the i2 entity type's name, the i2 standard icon it shows).
ENTITY_TYPES = {
    "person": ("Person", "Person"),
    "location": ("Location", "House"),
    "ocg": ("Organised crime group", "Organisation"),
    "phone": ("Phone", "Mobile Phone"),
    "vehicle": ("Vehicle", "Car"),
    "bank_account": ("Bank account", "Bank Account"),
    "social_media": ("Social media account", "Internet"),
    "weapon": ("Weapon", "Weapon"),
    "incident": ("Incident", "Event"),
    "operation": ("Operation", "Event"),
    "seizure": ("Seizure", "Event"),
    "intelligence": ("Intelligence report", "Event"),
}
FALLBACK_ICON = "General"
# Links with no direction (either end may be named first) are drawn without an arrow; the
# others point from source to target as recorded ("uses phone": person -> phone).
UNDIRECTED_LINK_TYPES = frozenset({"associate_of", "linked_to"})
LINK_ID_ATTRIBUTE = "Safehold link id"
# Where icons go: a square grid, SPACING apart (i2 lays the chart out again on request).
SPACING = 150


def _words(name: str) -> str:
    """A type or attribute code as i2 shows it: "uses_phone" -> "Uses phone"."""
    text = name.replace("_", " ")
    return text[:1].upper() + text[1:]


def entity_type_name(entity_type: str) -> str:
    return ENTITY_TYPES.get(entity_type, (_words(entity_type), ""))[0]


def write_anx(graph: Graph, *, title: str) -> bytes:
    """The chart as ANX XML, UTF-8, named `title` in its summary."""
    ids = iter(range(1, 1_000_000_000))

    def next_id() -> str:
        return f"ID{next(ids)}"

    strength_id = next_id()
    attribute_names = sorted(
        {k for e in graph.entities for k in _shown_attributes(e.attributes)}
        | {k for link in graph.links for k in link.attributes}
    )
    attribute_classes = {_words(k): next_id() for k in attribute_names}
    attribute_classes[LINK_ID_ATTRIBUTE] = next_id()
    entity_types = {
        entity_type_name(t): (next_id(), ENTITY_TYPES.get(t, ("", FALLBACK_ICON))[1])
        for t in dict.fromkeys(e.type for e in graph.entities)
    }
    link_types = {_words(t): next_id() for t in dict.fromkeys(link.type for link in graph.links)}

    a = escape_attribute
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<Chart>",
        "  <StrengthCollection>",
        f'    <Strength Id="{strength_id}" Name="Default" DotStyle="DotStyleSolid"/>',
        "  </StrengthCollection>",
        "  <AttributeClassCollection>",
        *(
            f'    <AttributeClass Id="{class_id}" Name="{a(name)}" Type="AttText" '
            'IsUser="true" UserCanAdd="true" UserCanRemove="true" ShowValue="true" '
            f'Visible="{"false" if name == LINK_ID_ATTRIBUTE else "true"}"/>'
            for name, class_id in attribute_classes.items()
        ),
        "  </AttributeClassCollection>",
        "  <EntityTypeCollection>",
        *(
            f'    <EntityType Id="{type_id}" Name="{a(name)}" IconFile="{a(icon)}"/>'
            for name, (type_id, icon) in entity_types.items()
        ),
        "  </EntityTypeCollection>",
        "  <LinkTypeCollection>",
        *(
            f'    <LinkType Id="{type_id}" Name="{a(name)}"/>'
            for name, type_id in link_types.items()
        ),
        "  </LinkTypeCollection>",
        "  <ChartItemCollection>",
    ]

    def attributes(values: dict[str, str]) -> list[str]:
        if not values:
            return []
        return [
            "      <AttributeCollection>",
            *(
                f'        <Attribute AttributeClass="{a(name)}" '
                f'AttributeClassReference="{attribute_classes[name]}" Value="{a(value)}"/>'
                for name, value in values.items()
            ),
            "      </AttributeCollection>",
        ]

    columns = max(1, math.ceil(math.sqrt(len(graph.entities))))
    for index, entity in enumerate(graph.entities):
        x, y = (index % columns) * SPACING, (index // columns) * SPACING
        type_name = entity_type_name(entity.type)
        out += [
            f'    <ChartItem Id="{next_id()}" Label="{a(entity.label)}" XPosition="{x}"'
            f"{_date(_entity_date(entity.attributes))}>",
            f'      <End X="{x}" Y="{y}" Z="0">',
            f'        <Entity EntityId="{a(entity.id)}" Identity="{a(entity.id)}" '
            'LabelIsIdentity="false">',
            f'          <Icon><IconStyle Type="{a(type_name)}"/></Icon>',
            "        </Entity>",
            "      </End>",
            *attributes(
                {_words(k): v for k, v in sorted(_shown_attributes(entity.attributes).items())}
            ),
            "    </ChartItem>",
        ]
    for link in graph.links:
        type_name = _words(link.type)
        arrow = "ArrowNone" if link.type in UNDIRECTED_LINK_TYPES else "ArrowOnHead"
        date = link.date.isoformat() if link.date else None
        out += [
            f'    <ChartItem Id="{next_id()}" Label="{a(type_name)}"{_date(date)}>',
            f'      <Link End1Id="{a(link.source)}" End2Id="{a(link.target)}">',
            f'        <LinkStyle Strength="Default" ArrowStyle="{arrow}" Type="{a(type_name)}" '
            f'LinkTypeReference="{link_types[type_name]}"/>',
            "      </Link>",
            *attributes(
                {_words(k): v for k, v in sorted(link.attributes.items())}
                | {LINK_ID_ATTRIBUTE: link.id}
            ),
            "    </ChartItem>",
        ]
    out += [
        "  </ChartItemCollection>",
        "  <Summary>",
        "    <FieldCollection>",
        f'      <Field Field="{a(title)}" Type="SummaryFieldTitle"/>',
        "    </FieldCollection>",
        "  </Summary>",
        "</Chart>",
        "",
    ]
    return "\n".join(out).encode()


def _entity_date(attributes: Mapping[str, str]) -> str | None:
    """An entity's `date` attribute when it is a date (YYYY-MM-DD), which the chart shows as
    the item's date rather than as an attribute."""
    try:
        return datetime.date.fromisoformat(attributes.get("date", "")).isoformat()
    except ValueError:
        return None


def _shown_attributes(attributes: Mapping[str, str]) -> dict[str, str]:
    """The attributes shown as i2 attributes: all but a date that is the item's date."""
    dated = _entity_date(attributes) is not None
    return {k: v for k, v in attributes.items() if not (dated and k == "date")}


def _date(iso: str | None) -> str:
    """A ChartItem's date attributes: a date and no time of day (i2 reads times as UTC)."""
    if not iso:
        return ""
    return f' DateSet="true" TimeSet="false" DateTime="{iso}T00:00:00.000"'
