"""What every network file reader shares: the rows a file gave, checked all together into a
`Graph` or refused with every problem named by file, row (or line) and field, so an import is
all or nothing (docs/formats/networks.md)."""

import datetime
import functools
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from safehold.core.errors import ServiceError
from safehold.networks.graph import ENTITY_TYPES, LINK_TYPES, Entity, Graph, Link

# An attribute's name, as a column of entities.csv or links.csv or a GraphML key's attr.name.
ATTRIBUTE_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
# Characters XML 1.0 cannot hold (the C0 controls the CSV reader refuses too, and two
# non-characters): written as U+FFFD so an export is always well-formed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# How many problems the message lists; `problems` keeps them all.
SHOWN_PROBLEMS = 100


class NetworkFileError(ServiceError):
    """A network file (or pair of files) that cannot be read as it is: every problem, each
    naming its file, row or line and field. Nothing was imported."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        super().__init__(self._message())

    def _message(self) -> str:
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the file; nothing was imported:"
        shown = [f"- {p}" for p in self.problems[:SHOWN_PROBLEMS]]
        if count > SHOWN_PROBLEMS:
            shown.append(f"- and {count - SHOWN_PROBLEMS} more")
        return "\n".join([head, *shown])


@functools.lru_cache(maxsize=4096)
def normalise_name(text: str) -> str:
    """A column or key name as Safehold reads it: trimmed, lower case, spaces and hyphens as _
    ("Source Ref" is source_ref)."""
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


def name_problem(name: str) -> str | None:
    """Why `name` cannot name an attribute, or None."""
    if ATTRIBUTE_NAME.match(name):
        return None
    return f"“{name}” cannot be a column name: use letters, digits and _, starting with a letter"


def parse_date(text: str) -> tuple[datetime.date | None, str | None]:
    """A date written YYYY-MM-DD, or DD/MM/YYYY as Excel writes it in the UK; (date, None) or
    (None, the problem)."""
    if m := _ISO_DATE.match(text):
        year, month, day = (int(g) for g in m.groups())
    elif m := _UK_DATE.match(text):
        day, month, year = (int(g) for g in m.groups())
    else:
        return None, (
            f"“{text}” is not a date: enter it as YYYY-MM-DD, like 2026-04-30, "
            "or DD/MM/YYYY, like 30/04/2026"
        )
    try:
        return datetime.date(year, month, day), None
    except ValueError:
        return None, f"“{text}” is not a real date"


def xml_text(text: str) -> str:
    """Text XML can hold: characters it cannot are replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def escape_text(text: str) -> str:
    """Element content, escaped; a carriage return is kept as a reference (a parser would turn
    a literal one into a line feed)."""
    return (
        xml_text(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\r", "&#13;")
    )


def escape_attribute(text: str) -> str:
    """An attribute value for double quotes, escaped; tab, line feed and carriage return as
    references (a parser would turn literal ones into spaces)."""
    return escape_text(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


@dataclass(frozen=True)
class Names:
    """What a format calls each field, and its entities, in its messages."""

    entity_id: str = "entity_id"
    entity_type: str = "type"
    label: str = "label"
    link_id: str = "link_id"
    source: str = "source_id"
    target: str = "target_id"
    link_type: str = "type"
    date: str = "date"
    # "“P9” is not {missing_end}"
    missing_end: str = "an entity_id in entities.csv"


@dataclass(frozen=True)
class EntityRow:
    """An entity as a file gave it: text, trimmed; `where` is "entities.csv, row 3" and `place`
    the "row 3" part another row's message may point to."""

    where: str
    place: str
    id: str
    type: str
    label: str
    attributes: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class LinkRow:
    """A link as a file gave it; an empty `id` is given one from what the link says."""

    where: str
    place: str
    id: str
    source: str
    target: str
    type: str
    date: str
    attributes: Mapping[str, str] = field(default_factory=dict)


def _one_of(kind: str, value: str, choices: Sequence[str]) -> str:
    return f"“{value}” is not {kind}: enter one of {', '.join(choices)}"


def _known(value: str, choices: Sequence[str]) -> str | None:
    """The choice `value` names, ignoring capitals and with spaces as _, or None."""
    wanted = normalise_name(value)
    return wanted if wanted in choices else None


def generated_link_id(
    source: str, target: str, link_type: str, date: str, attributes: Mapping[str, str]
) -> str:
    """A link id from what the link says, so the same file read twice gives the same ids (a
    re-import is a no-op) whatever the order of its rows."""
    parts = [source, target, link_type, date, *(f"{k}={attributes[k]}" for k in sorted(attributes))]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:20]
    return f"link:{digest}"


def build_graph(
    entity_rows: Sequence[EntityRow],
    link_rows: Sequence[LinkRow],
    *,
    names: Names = Names(),
    problems: Sequence[str] = (),
    check_ends: bool = True,
) -> Graph:
    """Check every row (types, ids, dates, link ends) and return the Graph, or raise one
    NetworkFileError listing these problems after the `problems` the reader already found.
    Without `check_ends` (the entities could not be read) links' ends are not looked up."""
    found = list(problems)
    entities: list[Entity] = []
    seen: dict[str, str] = {}
    for row in entity_rows:
        row_problems = []
        if not row.id:
            row_problems.append(f"{row.where}, {names.entity_id}: enter the entity's id")
        elif row.id in seen:
            row_problems.append(
                f"{row.where}, {names.entity_id}: “{row.id}” is also on {seen[row.id]}: "
                "each entity appears once"
            )
        else:
            seen[row.id] = row.place
        entity_type = _known(row.type, ENTITY_TYPES)
        if not row.type:
            row_problems.append(
                f"{row.where}, {names.entity_type}: enter the entity's type: one of "
                f"{', '.join(ENTITY_TYPES)}"
            )
        elif entity_type is None:
            row_problems.append(
                f"{row.where}, {names.entity_type}: "
                + _one_of("an entity type", row.type, ENTITY_TYPES)
            )
        if not row.label:
            row_problems.append(f"{row.where}, {names.label}: enter the entity's label")
        attributes = dict(row.attributes)
        if "date" in attributes:
            date, problem = parse_date(attributes["date"])
            if problem:
                row_problems.append(f"{row.where}, date: {problem}")
            else:
                attributes["date"] = date.isoformat()
        found += row_problems
        if not row_problems:
            entities.append(Entity(row.id, entity_type, row.label, attributes))

    links: list[Link] = []
    link_seen: dict[str, str] = {}
    for row in link_rows:
        row_problems = []
        for name, end in ((names.source, row.source), (names.target, row.target)):
            if not end:
                row_problems.append(f"{row.where}, {name}: enter the id of the entity")
            elif check_ends and end not in seen:
                row_problems.append(f"{row.where}, {name}: “{end}” is not {names.missing_end}")
        if row.source and row.source == row.target:
            row_problems.append(
                f"{row.where}, {names.target}: a link joins two different entities, "
                f"and this one joins “{row.source}” to itself"
            )
        link_type = _known(row.type, LINK_TYPES)
        if not row.type:
            row_problems.append(
                f"{row.where}, {names.link_type}: enter the link's type: one of "
                f"{', '.join(LINK_TYPES)}"
            )
        elif link_type is None:
            row_problems.append(
                f"{row.where}, {names.link_type}: " + _one_of("a link type", row.type, LINK_TYPES)
            )
        date = None
        if row.date:
            date, problem = parse_date(row.date)
            if problem:
                row_problems.append(f"{row.where}, {names.date}: {problem}")
        link_id = row.id or generated_link_id(
            row.source,
            row.target,
            link_type or row.type,
            date.isoformat() if date else row.date,
            row.attributes,
        )
        if link_id in link_seen:
            row_problems.append(
                f"{row.where}, {names.link_id}: “{link_id}” is also on {link_seen[link_id]}: "
                "each link appears once"
                if row.id
                else f"{row.where}: this link is the same as the one on {link_seen[link_id]} "
                f"(same ends, type, date and attributes): remove one, or give each a "
                f"{names.link_id}"
            )
        else:
            link_seen[link_id] = row.place
        found += row_problems
        if not row_problems:
            links.append(
                Link(link_id, row.source, row.target, link_type, date, dict(row.attributes))
            )
    if found:
        raise NetworkFileError(found)
    return Graph.of(entities, links)


def check_attribute_names(names: Sequence[str], reserved: Sequence[str], what: str) -> None:
    """For a writer: every attribute name can be written and read back as itself."""
    for name in names:
        if not ATTRIBUTE_NAME.match(name) or name in reserved:
            raise ValueError(
                f"the {what} attribute “{name}” cannot be written: an attribute's name uses "
                f"letters, digits and _, starts with a letter and is not one of {', '.join(reserved)}"
            )
