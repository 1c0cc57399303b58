"""The read gate of the network (ADR 0050): every page, export, analysis and API read starts here.

Who sees what:
- People and places only through their own gates (`people_visible_to`, `locations_visible_to`);
  the police intelligence role, which browses no people, sees in the network the people and
  places its agency's casework roles see (`network_people`, `network_places`: ADR 0053).
- Objects, events, links and organised crime groups: the casework roles and analysts of the
  agency that recorded them, and of the agencies party with it to a live information sharing
  agreement that covers police intelligence (`INTELLIGENCE_CATEGORY`). An object is one row
  across the partnership, so it is seen by the agencies that recorded it (`ObjectHolder`) and
  their partners.
- A link is shown only when the link is visible and BOTH its ends are; a group's membership
  and premises only when the group and the person or place are.

`visible_graph` hands the visible network to the analysis, the link chart and the exports as
plain values (`graph.Graph`), in a fixed number of queries whatever its size.
"""

from collections import defaultdict, deque
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from safehold.accounts.rules import can_browse_people
from safehold.cases.selectors import cases_visible_to
from safehold.core import dates
from safehold.intelligence.rules import is_police_intelligence
from safehold.networks import graph, rules
from safehold.networks.choices import EndKind
from safehold.networks.models import (
    FourPAction,
    NetworkEvent,
    NetworkLink,
    NetworkObject,
    ObjectHolder,
    OCGChange,
    OCGMember,
    OCGPremises,
    OrganisedCrimeGroup,
    ThreatAssessment,
)
from safehold.people.models import Location, Person
from safehold.people.selectors import (
    locations_of_agency,
    locations_visible_to,
    people_of_agency,
    people_visible_to,
)
from safehold.sharing.models import InformationSharingAgreement, live_agreement_q

# The data category of an agreement that lets its parties see each other's network records.
INTELLIGENCE_CATEGORY = "police_intelligence"


def _intelligence_partners(agency_id) -> QuerySet:
    """The agencies party with this one to a live agreement whose data categories include
    police intelligence (a subquery: the gates stay lazy and add no query of their own)."""
    live = InformationSharingAgreement.objects.filter(
        live_agreement_q(dates.today()),
        parties=agency_id,
        # The categories are a JSON list; its text holds each category in quotes (SQLite and
        # PostgreSQL alike), so a quoted name is a whole category, never part of another.
        data_categories__icontains=f'"{INTELLIGENCE_CATEGORY}"',
    ).values("pk")
    return InformationSharingAgreement.parties.through.objects.filter(
        informationsharingagreement__in=live
    ).values("agency_id")


def network_scope(user, field: str = "owning_agency") -> Q:
    """The rows whose agency (`field`) is the user's, or an intelligence-sharing partner's;
    none for a role that does not see the network."""
    if not rules.can_see(user):
        return Q(pk__in=[])
    return Q(**{field: user.agency_id}) | Q(
        **{f"{field}__in": _intelligence_partners(user.agency_id)}
    )


def network_people(user) -> QuerySet[Person]:
    """The people the network may show this user: those the user may browse; for the police
    intelligence role (an analyst, who browses no people), those its agency holds or was given
    in full, since grading and linking intelligence is its work (ADR 0053). Only as network
    entities: their pages stay behind the people gate."""
    if can_browse_people(user) or not is_police_intelligence(user):
        return people_visible_to(user)
    return people_of_agency(user.agency_id)


def network_places(user) -> QuerySet[Location]:
    """The places the network may show this user, by the same rule as `network_people`."""
    if can_browse_people(user) or not is_police_intelligence(user):
        return locations_visible_to(user)
    return locations_of_agency(user.agency_id)


def ocgs_visible_to(user) -> QuerySet[OrganisedCrimeGroup]:
    return OrganisedCrimeGroup.objects.filter(network_scope(user)).select_related("owning_agency")


def events_visible_to(user) -> QuerySet[NetworkEvent]:
    return NetworkEvent.objects.filter(network_scope(user))


def links_visible_to(user) -> QuerySet[NetworkLink]:
    """Links the user may see as records; a page shows one only when both its ends are visible
    too (`visible_graph`)."""
    return NetworkLink.objects.filter(network_scope(user))


def objects_visible_to(user) -> QuerySet[NetworkObject]:
    """Objects recorded by the user's agency or an intelligence-sharing partner of it."""
    held = ObjectHolder.objects.filter(network_scope(user, "agency")).values("object_id")
    return NetworkObject.objects.filter(pk__in=held)


# The visible network as plain values.


def _ends(links: QuerySet[NetworkLink], kind: str) -> Q:
    """Records named by either end of these links as `kind` (subqueries: no long id lists)."""
    return Q(pk__in=links.filter(end_a_kind=kind).values("end_a_id")) | Q(
        pk__in=links.filter(end_b_kind=kind).values("end_b_id")
    )


def _label_of_event(event: NetworkEvent) -> str:
    return f"{event.get_kind_display()}, {event.date:%d %b %Y}: {event.summary}"


def visible_graph(user, *, around: str | None = None, steps: int | None = None) -> graph.Graph:
    """The network the user may see: visible objects, events and groups, the visible people and
    places that visible links, memberships and premises name, and the links whose both ends are
    visible (recorded links, `member_of` for memberships, `linked_to` for premises,
    `occurred_at` for an event's place). With `around` (an entity id), only what is within
    `steps` links of it (its whole component without `steps`), over visible links only; an
    entity the user may not see gives an empty graph. Nine queries, whatever the size."""
    if not rules.can_see(user):
        return graph.Graph()
    links = links_visible_to(user)
    groups = ocgs_visible_to(user)
    members = OCGMember.objects.filter(ocg__in=groups.values("pk"))
    premises = OCGPremises.objects.filter(ocg__in=groups.values("pk"))
    events = list(events_visible_to(user))
    people = network_people(user).filter(
        _ends(links, EndKind.PERSON) | Q(pk__in=members.values("person_id"))
    )
    places = network_places(user).filter(
        _ends(links, EndKind.LOCATION)
        | Q(pk__in=premises.values("location_id"))
        | Q(pk__in=events_visible_to(user).filter(location__isnull=False).values("location_id"))
    )
    entities: dict[str, graph.Entity] = {}
    for person in people.only("given_name", "family_name"):
        entities[f"person:{person.pk}"] = graph.Entity(
            f"person:{person.pk}", graph.PERSON, person.full_name
        )
    for place in places.only("address_line_1", "address_line_2", "town", "postcode"):
        entities[f"location:{place.pk}"] = graph.Entity(
            f"location:{place.pk}", graph.LOCATION, place.one_line
        )
    for obj in objects_visible_to(user):
        entities[obj.entity_id] = graph.Entity(
            obj.entity_id, obj.kind, obj.value, {"normalised": obj.normalised}
        )
    for event in events:
        entities[f"event:{event.pk}"] = graph.Entity(
            f"event:{event.pk}", event.kind, _label_of_event(event),
            {"date": event.date.isoformat(), "reference": event.reference},
        )  # fmt: skip
    for group in groups:
        entities[f"ocg:{group.pk}"] = graph.Entity(
            f"ocg:{group.pk}", graph.OCG, group.name, {"status": group.status}
        )
    visible_cases = {
        pk: ref
        for pk, ref in cases_visible_to(user)
        .filter(pk__in=links.filter(case__isnull=False).values("case_id"))
        .values_list("pk", "reference")
    }
    edges = []
    for link in links:
        if link.end_a in entities and link.end_b in entities:
            attributes = {"source": link.source_reference, "grading": link.grading}
            if link.date_to:
                attributes["date_to"] = link.date_to.isoformat()
            if link.case_id in visible_cases:
                attributes["case"] = visible_cases[link.case_id]
            edges.append(
                graph.Link(f"link:{link.pk}", link.end_a, link.end_b, link.type, link.date_from,
                           {k: v for k, v in attributes.items() if v})
            )  # fmt: skip
    for member in members:
        source, target = f"person:{member.person_id}", f"ocg:{member.ocg_id}"
        if source in entities and target in entities:
            attributes = {"role": member.role}
            if member.date_to:
                attributes["date_to"] = member.date_to.isoformat()
            edges.append(
                graph.Link(f"member:{member.pk}", source, target, "member_of", member.date_from,
                           attributes)
            )  # fmt: skip
    for row in premises:
        source, target = f"ocg:{row.ocg_id}", f"location:{row.location_id}"
        if source in entities and target in entities:
            edges.append(graph.Link(f"premises:{row.pk}", source, target, "linked_to"))
    for event in events:
        source, target = f"event:{event.pk}", f"location:{event.location_id}"
        if event.location_id and target in entities:
            edges.append(
                graph.Link(f"occurred:{event.pk}", source, target, "occurred_at", event.date)
            )
    whole = graph.Graph.of(entities.values(), edges)
    return whole if around is None else neighbourhood(whole, around, steps)


def neighbourhood(network: graph.Graph, around: str, steps: int | None) -> graph.Graph:
    """The entities within `steps` links of `around` (all it reaches when None), and the links
    between them."""
    adjacent = defaultdict(set)
    for link in network.links:
        adjacent[link.source].add(link.target)
        adjacent[link.target].add(link.source)
    if network.entity(around) is None:
        return graph.Graph()
    distance = {around: 0}
    queue = deque([around])
    while queue:
        here = queue.popleft()
        if steps is not None and distance[here] >= steps:
            continue
        for there in adjacent[here]:
            if there not in distance:
                distance[there] = distance[here] + 1
                queue.append(there)
    return graph.Graph.of(
        (e for e in network.entities if e.id in distance),
        (k for k in network.links if k.source in distance and k.target in distance),
    )


def consulted(network: graph.Graph) -> tuple[list[str], list[str]]:
    """What an audit event of a page or call showing this network names: (the people as
    subjects, the other records as objects), as ids."""
    subjects, objects = [], []
    for entity in network.entities:
        kind, _, pk = entity.id.partition(":")
        (subjects if kind == graph.PERSON else objects).append(pk)
    return subjects, objects


# What the OCG pages show.


def ocg_list(user) -> QuerySet[OrganisedCrimeGroup]:
    return ocgs_visible_to(user).prefetch_related("members", "premises", "assessments")


@dataclass(frozen=True)
class Summary:
    """The partnership summary: groups by activity and by area, members counted once."""

    groups: int
    by_activity: list[tuple[str, int]]
    by_area: list[tuple[str, int]]
    current_members: int
    members_in_several_groups: int


def summary_of(groups: list[OrganisedCrimeGroup]) -> Summary:
    """Counts over the groups already fetched by `ocg_list` (their members prefetched): a person
    in two groups is one member of the partnership's total."""
    from safehold.networks.choices import Activity

    labels = dict(Activity.choices)
    by_activity, by_area = defaultdict(int), defaultdict(int)
    memberships = defaultdict(set)
    for group in groups:
        for activity in set(group.activities):
            by_activity[labels.get(activity, activity)] += 1
        for area in set(group.areas):
            by_area[area] += 1
        for member in group.members.all():
            if member.date_to is None:
                memberships[member.person_id].add(group.pk)
    return Summary(
        groups=len(groups),
        by_activity=sorted(by_activity.items(), key=lambda kv: (-kv[1], kv[0])),
        by_area=sorted(by_area.items(), key=lambda kv: (-kv[1], kv[0])),
        current_members=len(memberships),
        members_in_several_groups=sum(1 for g in memberships.values() if len(g) > 1),
    )


def members_of(user, ocg: OrganisedCrimeGroup) -> tuple[list[tuple[OCGMember, Person]], int]:
    """The group's memberships whose person the user may see (with the person), and how many
    others the group has."""
    rows = list(ocg.members.all())
    people = {p.pk: p for p in network_people(user).filter(pk__in=[r.person_id for r in rows])}
    visible = [(r, people[r.person_id]) for r in rows if r.person_id in people]
    return visible, len(rows) - len(visible)


def premises_of(user, ocg: OrganisedCrimeGroup) -> tuple[list[tuple[OCGPremises, Location]], int]:
    rows = list(ocg.premises.all())
    places = {p.pk: p for p in network_places(user).filter(pk__in=[r.location_id for r in rows])}
    visible = [(r, places[r.location_id]) for r in rows if r.location_id in places]
    return visible, len(rows) - len(visible)


def latest_assessment(ocg: OrganisedCrimeGroup) -> ThreatAssessment | None:
    return ocg.assessments.select_related("assessed_by").first()


def actions_of(ocg: OrganisedCrimeGroup) -> QuerySet[FourPAction]:
    return ocg.actions.select_related("owner_user", "owner_agency")


def history_of(ocg: OrganisedCrimeGroup) -> QuerySet[OCGChange]:
    return ocg.changes.select_related("changed_by")
