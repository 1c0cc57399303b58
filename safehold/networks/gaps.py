"""Intelligence gaps for the partnership's monthly meeting (issue 16, item 7): what the network
the user may see does not yet know, each gap with why it is one and who could close it.

Four kinds (docs/how-to/intelligence-gaps.md):
- an active group that no visible link citing intelligence graded in the last 90 days names (the
  group itself, or one of its current members);
- the address of an open cuckooing case that no visible link citing intelligence names;
- a phone seen at two or more places (linked to them, or to an event that happened there) that
  no visible person is known to use or own;
- a current member of a group (not archived) with no current address (a `lives_at` link
  without an end date).

Everything is computed over `selectors.visible_graph(user)` and the read gates of cases, places
and intelligence (a link counts as citing intelligence only when the user may see that
intelligence): what the user may not see is never named or counted, and never closes a gap
either. A fixed number of queries, whatever the size of the network.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Model, Q
from django.urls import reverse
from django.utils import timezone

from safehold.accounts.choices import AgencyKind
from safehold.cases.choices import CaseStatus, ExploitationType
from safehold.cases.selectors import cases_visible_to
from safehold.intelligence.choices import GRADED_STATUSES
from safehold.intelligence.selectors import intelligence_visible_to
from safehold.networks import graph, rules, selectors
from safehold.networks.choices import LinkType, ObjectKind, OcgStatus
from safehold.people.selectors import locations_visible_to

RECENT = datetime.timedelta(days=90)
GROUP, PREMISES, PHONE, MEMBER = "group", "premises", "phone", "member"
# Each kind in the order the page, the CSV and the agenda list them, with its heading.
KINDS = {
    GROUP: "Active groups with no graded intelligence in the last 90 days",
    PREMISES: "Cuckooed premises with no linked intelligence",
    PHONE: "Phones seen at two or more places with no known owner",
    MEMBER: "Current members with no current address",
}
OWNER_LINKS = {LinkType.USES_PHONE, LinkType.OWNS}


@dataclass(frozen=True)
class Gap:
    """One gap: what it is about (`label`, and `entity_id` in the network when it is in it),
    why it is a gap, who could close it, and where to start. `records` and `subjects` are what
    a page or agenda showing it names, for its audit event; `named` the other network entities
    its text names (places)."""

    kind: str
    label: str
    why: str
    owner: str
    link: str
    entity_id: str = ""
    reference: str = ""
    records: tuple[Model, ...] = ()
    subjects: tuple = ()
    named: tuple[str, ...] = field(default=())

    @property
    def heading(self) -> str:
        return KINDS[self.kind]


def owner_name(agency) -> str:
    """The suggested owner of a gap in a record an agency holds: a police agency's intelligence
    unit, or the agency itself."""
    if agency.kind == AgencyKind.POLICE:
        return f"Police intelligence ({agency.name})"
    return agency.name


def _pk(entity_id: str) -> str:
    return entity_id.partition(":")[2]


def _chart(entity_id: str) -> str:
    return f"{reverse('networks:chart')}?steps=2&around={entity_id}"


def intelligence_gaps(user, *, today: datetime.date) -> list[Gap]:
    """The gaps in the network the user may see, by kind (in the order of `KINDS`) then by what
    they are about. Thirteen queries at most, whatever the size of the network; none for a user
    who does not see the network."""
    if not rules.can_see(user):
        return []
    network = selectors.visible_graph(user)  # nine queries
    by_id = {e.id: e for e in network.entities}
    # The graded intelligence visible links cite (visible through its own gate): when graded.
    graded = {
        f"link:{pk}": timezone.localdate(at) if at else None
        for pk, at in selectors.links_visible_to(user)
        .filter(
            intelligence__in=intelligence_visible_to(user)
            .filter(status__in=GRADED_STATUSES)
            .values("pk")
        )
        .values_list("pk", "intelligence__graded_at")
    }
    links_of = defaultdict(list)
    for link in network.links:
        links_of[link.source].append(link)
        links_of[link.target].append(link)

    def other_end(link: graph.Link, entity_id: str) -> str:
        return link.target if link.source == entity_id else link.source

    groups = {f"ocg:{g.pk}": g for g in selectors.ocgs_visible_to(user) if f"ocg:{g.pk}" in by_id}
    members = defaultdict(list)  # group id -> current members' entity ids (visible ones)
    groups_of = defaultdict(list)  # person id -> the groups they are a current member of
    for link in network.links:
        if link.type == "member_of" and link.id.startswith("member:"):
            if "date_to" not in link.attributes and link.target in groups:
                members[link.target].append(link.source)
                groups_of[link.source].append(link.target)

    found = []
    found += _groups(groups, members, links_of, graded, today)
    found += _premises(user, by_id, links_of, graded, other_end)
    found += _phones(user, by_id, links_of, other_end)
    found += _members(groups, groups_of, by_id, links_of, other_end)
    order = list(KINDS)
    return sorted(found, key=lambda g: (order.index(g.kind), g.label.casefold(), g.entity_id))


def _groups(groups, members, links_of, graded, today) -> list[Gap]:
    """Active groups that no link citing intelligence graded in the last 90 days names (the group
    or one of its current members)."""
    since = today - RECENT
    found = []
    for entity_id, group in groups.items():
        if group.status != OcgStatus.ACTIVE:
            continue
        named = [entity_id, *members[entity_id]]
        dates = {
            graded[link.id]
            for who in named
            for link in links_of[who]
            if link.id in graded and graded[link.id] is not None
        }
        if any(since <= day <= today for day in dates):
            continue
        past = [day for day in dates if day < since]
        latest = (
            f"the latest was graded on {max(past):%-d %B %Y}"
            if past
            else "no graded intelligence you can read has ever been linked to it"
        )
        found.append(
            Gap(
                kind=GROUP, label=group.name, entity_id=entity_id,
                why=f"No link citing intelligence graded since {since:%-d %B %Y} names the group, "
                f"or any of its current members ({len(members[entity_id])} you can see); {latest}.",
                owner=owner_name(group.owning_agency),
                link=reverse("networks:ocg-detail", args=[group.pk]), records=(group,),
            )
        )  # fmt: skip
    return found


def _premises(user, by_id, links_of, graded, other_end) -> list[Gap]:
    """The addresses of the user's visible open cuckooing cases that no link citing
    intelligence names (one gap per address, naming its cases)."""
    cases = (
        cases_visible_to(user)
        .filter(status=CaseStatus.OPEN, location__in=locations_visible_to(user).values("pk"))
        .filter(
            Q(exploitation_type=ExploitationType.CUCKOOING)
            # A JSON list of codes: in its text each code is in quotes (SQLite and PostgreSQL).
            | Q(other_types__icontains=f'"{ExploitationType.CUCKOOING}"')
        )
        .select_related("location", "owning_agency", "lead_officer")
        .order_by("referral_date", "reference")
    )
    at = defaultdict(list)
    for case in cases:
        at[case.location_id].append(case)
    found = []
    for location_id, here in at.items():
        entity_id = f"location:{location_id}"
        if any(link.id in graded for link in links_of[entity_id]):
            continue
        place = here[0].location
        references = [c.reference for c in here]
        holders = []
        for case in here:
            holder = case.owning_agency.name
            if case.lead_officer_id:
                holder += f" (caseworker {case.lead_officer.full_name or case.lead_officer.email})"
            if holder not in holders:
                holders.append(holder)
        found.append(
            Gap(
                kind=PREMISES, label=place.one_line, reference=", ".join(references),
                entity_id=entity_id if entity_id in by_id else "",
                why=f"Open cuckooing {'case' if len(here) == 1 else 'cases'} "
                f"{', '.join(references)} at this address, and no link in the network you can "
                "see cites intelligence naming it.",
                owner="; ".join(holders),
                link=reverse("cases:detail", args=[here[0].pk]),
                records=(*here, place), subjects=tuple(c.subject_id for c in here),
            )
        )  # fmt: skip
    return found


def _places_of(entity_id, by_id, links_of, other_end) -> set[str]:
    """The places an entity is linked to, directly or through an event that happened there."""
    places = set()
    for link in links_of[entity_id]:
        there = other_end(link, entity_id)
        kind = by_id[there].type
        if kind == graph.LOCATION:
            places.add(there)
        elif kind in graph.EVENT_TYPES:
            places |= {
                other_end(k, there)
                for k in links_of[there]
                if k.type == "occurred_at" and by_id[other_end(k, there)].type == graph.LOCATION
            }
    return places


def _phones(user, by_id, links_of, other_end) -> list[Gap]:
    """Phones seen at two or more places that no visible person is known to use or own."""
    phones = {
        o.entity_id: o
        for o in selectors.objects_visible_to(user)
        .filter(kind=ObjectKind.PHONE)
        .select_related("owning_agency")
    }
    found = []
    for entity_id, phone in phones.items():
        if entity_id not in by_id:
            continue
        owned = any(
            link.type in OWNER_LINKS and by_id[other_end(link, entity_id)].type == graph.PERSON
            for link in links_of[entity_id]
        )
        places = sorted(_places_of(entity_id, by_id, links_of, other_end))
        if owned or len(places) < 2:
            continue
        addresses = "; ".join(sorted(by_id[p].label for p in places))
        found.append(
            Gap(
                kind=PHONE, label=phone.value, entity_id=entity_id,
                why=f"Seen at {len(places)} places ({addresses}), and no one you can see is "
                "known to use or own it.",
                owner=owner_name(phone.owning_agency), link=_chart(entity_id),
                records=(phone,), named=tuple(_pk(p) for p in places),
            )
        )  # fmt: skip
    return found


def _members(groups, groups_of, by_id, links_of, other_end) -> list[Gap]:
    """Current members of groups not archived with no current address (a `lives_at` link to a
    visible place with no end date)."""
    found = []
    for person_id, theirs in groups_of.items():
        theirs = [g for g in theirs if groups[g].status != OcgStatus.ARCHIVED]
        if not theirs:
            continue
        housed = any(
            link.type == LinkType.LIVES_AT
            and "date_to" not in link.attributes
            and by_id[other_end(link, person_id)].type == graph.LOCATION
            for link in links_of[person_id]
        )
        if housed:
            continue
        names = sorted(groups[g].name for g in theirs)
        owners = []
        for g in sorted(theirs, key=lambda g: groups[g].name):
            name = owner_name(groups[g].owning_agency)
            if name not in owners:
                owners.append(name)
        found.append(
            Gap(
                kind=MEMBER, label=by_id[person_id].label, entity_id=person_id,
                reference=", ".join(names),
                why=f"A current member of {', '.join(names)} with no current address you can "
                "see (no \u2018lives at\u2019 link without an end date).",
                owner="; ".join(owners), link=_chart(person_id),
                records=tuple(groups[g] for g in theirs), subjects=(_pk(person_id),),
            )
        )  # fmt: skip
    return found


def counts(gaps: list[Gap]) -> list[tuple[str, str, int]]:
    """(kind, heading, how many) for every kind, in order, including those with none."""
    return [
        (kind, heading, sum(1 for g in gaps if g.kind == kind)) for kind, heading in KINDS.items()
    ]


def audited(gaps: list[Gap]) -> tuple[list, list]:
    """What a page or file showing these gaps names: (the records' and places' ids, the people)."""
    objects, subjects = [], []
    for gap in gaps:
        objects += [r.pk for r in gap.records] + list(gap.named)
        if gap.entity_id and not gap.entity_id.startswith(f"{graph.PERSON}:"):
            objects.append(_pk(gap.entity_id))
        subjects += list(gap.subjects)
    return objects, subjects
