"""Importing a network from files (`safehold networks import ENTITIES.csv LINKS.csv`): the
entities and links of another tool (an i2 chart's export, a partner's spreadsheet) added to the
network through the services, as the importing user.

The whole pair is checked before anything is written (the reader checks the files' form,
`check` what they name), and then written in one transaction: all or nothing. Importing the
same files again changes nothing:
- people and places come from the casework: the file names them by their Safehold ids
  (`person:<uuid>`, `location:<uuid>`, as the exports write them), and each must be one the
  user may see; the file cannot create people or places;
- objects resolve by their normalised value (a phone is one phone, ADR 0050); a weapon, never
  merged, is the importing agency's weapon of the same description if there is one;
- an event is the importing agency's event with the reference `import:<the file's id>`;
- a group is the importing agency's group of that name (attribute `activities`: values of the
  group's activities separated by `;`, `other` if none is given);
- a link is not added again when the same two entities are already linked by the importing
  agency with the same type, date and source reference.
"""

import datetime
import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from safehold import audit
from safehold.accounts.models import User
from safehold.core.errors import NotPermitted, ServiceError
from safehold.networks import graph, services
from safehold.networks.choices import Activity
from safehold.networks.formats import NetworkFileError
from safehold.networks.models import NetworkEvent, NetworkLink, NetworkObject, OrganisedCrimeGroup
from safehold.networks.normalise import normalise

REFERENCE_PREFIX = "import:"


@dataclass(frozen=True)
class ImportResult:
    entities_added: int
    entities_found: int
    links_added: int
    links_found: int


def _date(entity: graph.Entity) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(entity.attributes.get("date", ""))
    except ValueError:
        return None


def _activities(entity: graph.Entity) -> list[str]:
    given = [a.strip().lower() for a in entity.attributes.get("activities", "").split(";")]
    return [a for a in given if a] or [Activity.OTHER]


def check(network: graph.Graph, by: User) -> list[str]:
    """Every problem with what the files name, each with the entity's id: empty when the pair
    can be imported."""
    problems = []
    for entity in network.entities:
        where = f"entities.csv: entity {entity.id}"
        if entity.type in (graph.PERSON, graph.LOCATION):
            try:
                services.entity_of(by, entity.id)
            except (NotPermitted, ServiceError):
                problems.append(
                    f"{where}: not a {entity.type} you can see in Safehold (name people and "
                    f"places by their Safehold id, {entity.type}:…, as the exports do)"
                )
        elif entity.type in graph.OBJECT_TYPES:
            if entity.type != "weapon" and not normalise(entity.type, entity.label):
                problems.append(
                    f"{where}: {entity.label!r} is not a {entity.type.replace('_', ' ')}"
                )
        elif entity.type in graph.EVENT_TYPES:
            if _date(entity) is None:
                problems.append(f"{where}: an event needs a date column (YYYY-MM-DD)")
        elif entity.type == graph.OCG:
            unknown = set(_activities(entity)) - set(Activity.values)
            if unknown:
                problems.append(f"{where}: unknown activities {', '.join(sorted(unknown))}")
    for link in network.links:
        grading = link.attributes.get("grading", "").strip().upper().replace(" ", "")
        if grading and not re.fullmatch(r"[A-Z0-9]{1,10}", grading):
            problems.append(f"links.csv: link {link.id}: grading {grading!r} is not like B2P")
    return problems


def _object(entity: graph.Entity, by: User) -> tuple[NetworkObject, bool]:
    if entity.type == "weapon":
        found = NetworkObject.objects.filter(
            kind="weapon", value=entity.label.strip(), owning_agency=by.agency
        ).first()
        if found:
            return found, False
        return services.record_object(kind="weapon", value=entity.label, by=by), True
    exists = NetworkObject.objects.filter(
        kind=entity.type, normalised=normalise(entity.type, entity.label),
        holders__agency=by.agency,
    ).exists()  # fmt: skip
    return services.record_object(kind=entity.type, value=entity.label, by=by), not exists


def _event(entity: graph.Entity, by: User) -> tuple[NetworkEvent, bool]:
    reference = f"{REFERENCE_PREFIX}{entity.id}"[:60]
    found = NetworkEvent.objects.filter(owning_agency=by.agency, reference=reference).first()
    if found:
        return found, False
    event = services.record_event(
        kind=entity.type, date=_date(entity), summary=entity.label[:300], by=by,
        reference=reference,
    )  # fmt: skip
    return event, True


def _group(entity: graph.Entity, by: User) -> tuple[OrganisedCrimeGroup, bool]:
    found = OrganisedCrimeGroup.objects.filter(
        owning_agency=by.agency, name__iexact=entity.label.strip()
    ).first()
    if found:
        return found, False
    return services.create_group(name=entity.label, activities=_activities(entity), by=by), True


def _resolve(entity: graph.Entity, by: User) -> tuple[str, bool]:
    """The entity's id in Safehold, and whether it was added now."""
    if entity.type in (graph.PERSON, graph.LOCATION):
        return entity.id, False
    if entity.type in graph.OBJECT_TYPES:
        record, added = _object(entity, by)
        return f"object:{record.pk}", added
    if entity.type in graph.EVENT_TYPES:
        record, added = _event(entity, by)
        return f"event:{record.pk}", added
    record, added = _group(entity, by)
    return f"ocg:{record.pk}", added


def _linked_already(a: str, b: str, link: graph.Link, by: User) -> bool:
    (a_kind, _, a_id), (b_kind, _, b_id) = a.partition(":"), b.partition(":")
    ends = Q(end_a_kind=a_kind, end_a_id=a_id, end_b_kind=b_kind, end_b_id=b_id) | Q(
        end_a_kind=b_kind, end_a_id=b_id, end_b_kind=a_kind, end_b_id=a_id
    )
    return NetworkLink.objects.filter(
        ends, type=link.type, date_from=link.date, owning_agency=by.agency,
        source_reference=link.attributes.get("source", "").strip(),
    ).exists()  # fmt: skip


def import_network(network: graph.Graph, *, by: User) -> ImportResult:
    """Check the whole network, then add it in one transaction (see the module's docstring)."""
    problems = check(network, by)
    if problems:
        raise NetworkFileError(problems)
    with transaction.atomic(), audit.batched():
        ids, added = {}, 0
        for entity in network.entities:
            ids[entity.id], new = _resolve(entity, by)
            added += new
        links_added = 0
        for link in network.links:
            a, b = ids[link.source], ids[link.target]
            if a == b or _linked_already(a, b, link, by):
                continue
            services.add_link(
                end_a=a, end_b=b, type=link.type, by=by, date_from=link.date,
                source_reference=link.attributes.get("source", ""),
                grading=link.attributes.get("grading", ""),
            )  # fmt: skip
            links_added += 1
    return ImportResult(
        entities_added=added, entities_found=len(network.entities) - added,
        links_added=links_added, links_found=len(network.links) - links_added,
    )  # fmt: skip
