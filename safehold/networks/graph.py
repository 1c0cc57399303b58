"""The network as plain values: what the read gate hands to the analysis, the link chart and the
export formats, and what an import reads. No Django here, so the analysis and the formats are
tested on their own and a graph from a file and a graph from the database are the same thing.

An entity's `id` is stable and says what it is: `person:<uuid>`, `location:<uuid>`,
`object:<uuid>`, `event:<uuid>`, `ocg:<uuid>` for records Safehold holds; an imported file's own
ids are kept as they are. `type` is one of `ENTITY_TYPES`; a link's `type` one of `LINK_TYPES`.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# POLE: people, objects, locations, events (and organised crime groups, which the charts show).
PERSON = "person"
LOCATION = "location"
OCG = "ocg"
OBJECT_TYPES = ("phone", "vehicle", "bank_account", "social_media", "weapon")
EVENT_TYPES = ("incident", "operation", "seizure", "intelligence")
ENTITY_TYPES = (PERSON, LOCATION, OCG, *OBJECT_TYPES, *EVENT_TYPES)

LINK_TYPES = (
    "associate_of",
    "member_of",
    "uses_phone",
    "lives_at",
    "visited",
    "owns",
    "drives",
    "seized_at",
    "seen_at",
    "involved_in",
    "reported_in",
    "occurred_at",
    "linked_to",
)


@dataclass(frozen=True)
class Entity:
    """A node: a person, object, location, event or OCG."""

    id: str
    type: str
    label: str
    attributes: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Link:
    """An edge between two entities (undirected for the analysis; `source` and `target` keep
    the direction it was recorded in). `attributes` carry where it came from and its grading,
    e.g. {"source": "INT-2026-0004", "grading": "B2P"}."""

    id: str
    source: str
    target: str
    type: str
    date: datetime.date | None = None
    attributes: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Graph:
    """Entities and the links between them; every link's ends are among the entities."""

    entities: tuple[Entity, ...] = ()
    links: tuple[Link, ...] = ()

    @classmethod
    def of(cls, entities: Iterable[Entity], links: Iterable[Link]) -> "Graph":
        return cls(tuple(entities), tuple(links))

    def entity(self, entity_id: str) -> Entity | None:
        return next((e for e in self.entities if e.id == entity_id), None)
