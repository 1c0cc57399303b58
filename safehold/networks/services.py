"""Every write of the network: one function per use case, atomic, checked against its actor
(who must see what they link or change) and audited in the same transaction; each change to a
group's profile also writes a line of its history (`OCGChange`).

One module, not a package: the use cases share the checks at the top and are short."""

import dataclasses
import datetime
import re
import uuid
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from safehold import audit
from safehold.accounts.models import Agency, User
from safehold.audit.choices import Action
from safehold.cases.models import Case
from safehold.cases.selectors import cases_visible_to
from safehold.core import dates
from safehold.core.errors import Conflict, NotPermitted, ServiceError
from safehold.networks import rules, selectors, threat
from safehold.networks.choices import (
    ActionStatus,
    Activity,
    EndKind,
    EventKind,
    FourP,
    LinkType,
    MemberRole,
    ObjectKind,
    OcgStatus,
)
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
from safehold.networks.normalise import normalise
from safehold.people.models import Location, Person


class NetworkError(ServiceError):
    """The network cannot be recorded as given (a 400 with this message)."""


def _require_recorder(by: User) -> None:
    if not rules.can_record(by):
        raise NotPermitted("You cannot record the network")


def _require_changes_group(by: User, ocg: OrganisedCrimeGroup) -> None:
    if not rules.may_change_group(by, ocg):
        raise NotPermitted("You cannot change this group's profile")


def _history(ocg: OrganisedCrimeGroup, by: User, what: str) -> None:
    OCGChange.objects.create(ocg=ocg, changed_by=by, changed_at=timezone.now(), what=what)


# Objects, events and links.


@transaction.atomic
def record_object(*, kind: str, value: str, by: User, description: str = "") -> NetworkObject:
    """Record a phone, vehicle, bank account, handle or weapon: the object already held by the
    partnership under the same normalised value when there is one (entity resolution), else a
    new one; either way the actor's agency now holds it."""
    _require_recorder(by)
    if kind not in ObjectKind.values:
        raise NetworkError("Select the kind of object")
    normalised = normalise(kind, value)
    obj = None
    if normalised:
        obj = NetworkObject.objects.filter(kind=kind, normalised=normalised).first()
    created = obj is None
    if created:
        obj = NetworkObject.objects.create(
            kind=kind, value=value.strip(), normalised=normalised,
            description=description.strip(), owning_agency=by.agency,
        )  # fmt: skip
    _, held = ObjectHolder.objects.get_or_create(object=obj, agency=by.agency)
    if created or held:
        audit.record(
            action=Action.COLLECT, actor=by, target=obj,
            purpose="network object recorded" if created else "network object also recorded",
        )  # fmt: skip
    return obj


@transaction.atomic
def record_event(
    *,
    kind: str,
    date: datetime.date,
    summary: str,
    by: User,
    location: Location | None = None,
    reference: str = "",
) -> NetworkEvent:
    """Record an incident, operation, seizure or intelligence report as a node of the network,
    at a place the actor may see."""
    _require_recorder(by)
    if kind not in EventKind.values:
        raise NetworkError("Select the kind of event")
    if not summary.strip():
        raise NetworkError("Enter a summary of the event")
    if location is not None and not selectors.network_places(by).filter(pk=location.pk).exists():
        raise NotPermitted("You cannot link the event to that place")
    event = NetworkEvent.objects.create(
        kind=kind, date=date, summary=summary.strip(), location=location,
        reference=reference.strip(), owning_agency=by.agency, recorded_by=by,
    )  # fmt: skip
    audit.record(
        action=Action.COLLECT, actor=by, target=event,
        object_ids=[location.pk] if location else [], purpose="network event recorded",
    )  # fmt: skip
    return event


def entity_of(by: User, entity_id: str):
    """The record an entity id (`person:<uuid>`) names, through the actor's read gate, or
    NotPermitted: an end the actor may not see cannot be linked (nor hinted at)."""
    kind, _, pk = entity_id.partition(":")
    gates = {
        EndKind.PERSON: lambda: selectors.network_people(by),
        EndKind.LOCATION: lambda: selectors.network_places(by),
        EndKind.OBJECT: lambda: selectors.objects_visible_to(by),
        EndKind.EVENT: lambda: selectors.events_visible_to(by),
        EndKind.OCG: lambda: selectors.ocgs_visible_to(by),
    }
    if kind not in gates:
        raise NetworkError("Choose what the link joins")
    try:
        record = gates[kind]().filter(pk=uuid.UUID(pk)).first()
    except ValueError:  # a malformed id names nothing
        record = None
    if record is None:
        raise NotPermitted("You cannot link a record you cannot see")
    return record


_GRADING = re.compile(r"^[A-Z0-9]{1,10}$")


@transaction.atomic
def add_link(
    *,
    end_a: str,
    end_b: str,
    type: str,
    by: User,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    case: Case | None = None,
    source_reference: str = "",
    grading: str = "",
    intelligence=None,
) -> NetworkLink:
    """Link two entities the actor may both see, with where the link came from (a case the actor
    may see, a graded intelligence report read in full, or an intelligence or case reference)
    and its grading."""
    _require_recorder(by)
    if type not in LinkType.values:
        raise NetworkError("Select the type of link")
    if end_a == end_b:
        raise NetworkError("Choose two different records to link")
    first, second = entity_of(by, end_a), entity_of(by, end_b)
    if date_from and date_to and date_to < date_from:
        raise NetworkError("The date the link ended must be the same as or after it began")
    if case is not None and not cases_visible_to(by).filter(pk=case.pk).exists():
        raise NotPermitted("You cannot cite a case you cannot see")
    if intelligence is not None:
        _require_intelligence_in_full(intelligence, by)
    grading = grading.strip().upper().replace(" ", "")
    if grading and not _GRADING.match(grading):
        raise NetworkError("Enter the grading as letters and digits, like B2P")
    link = NetworkLink.objects.create(
        end_a_kind=end_a.partition(":")[0], end_a_id=first.pk,
        end_b_kind=end_b.partition(":")[0], end_b_id=second.pk,
        type=type, date_from=date_from, date_to=date_to, case=case, intelligence=intelligence,
        source_reference=source_reference.strip(), grading=grading,
        owning_agency=by.agency, recorded_by=by,
    )  # fmt: skip
    people = [r for r in (first, second) if isinstance(r, Person)]
    audit.record(
        action=Action.COLLECT, actor=by, target=link,
        object_ids=[r.pk for r in (first, second) if not isinstance(r, Person)],
        subjects=people, purpose="network link recorded",
    )  # fmt: skip
    return link


def _require_intelligence_in_full(intelligence, by: User) -> None:
    from safehold.intelligence import selectors as intelligence_selectors

    visible = intelligence_selectors.intelligence_visible_to(by).filter(pk=intelligence.pk)
    if not visible.exists() or intelligence_selectors.access_of(by, intelligence) != "full":
        raise NotPermitted("You cannot cite intelligence you may not read in full")
    if not intelligence.is_graded:
        raise NetworkError(f"{intelligence.reference} must be graded before it is linked")


# Intelligence into the network in one step.

# A submission's mention kinds that name an object of the network (names and addresses are not
# resolved by their text: the analyst links the person or place found by search).
MENTIONED_OBJECTS = {
    "phone": ObjectKind.PHONE, "vehicle": ObjectKind.VEHICLE,
    "bank_account": ObjectKind.BANK_ACCOUNT, "social_media": ObjectKind.SOCIAL_MEDIA,
}  # fmt: skip


@dataclasses.dataclass
class Recorded:
    """What `record_intelligence` did: the report's event, the objects its mentions resolved to
    (and whether each was already in the network), the place it is about (None when the
    analyst's agency does not hold it), the links it added, and the mentions left to link by
    hand (people's names, addresses in words, anything else)."""

    event: NetworkEvent
    objects: list[tuple[NetworkObject, bool]] = dataclasses.field(default_factory=list)
    place: Location | None = None
    added: int = 0
    by_hand: list = dataclasses.field(default_factory=list)


def intelligence_place(intelligence, by: User) -> Location | None:
    """The place a submission is about, when the network may show it to the actor."""
    if intelligence.location_id is None:
        return None
    return selectors.network_places(by).filter(pk=intelligence.location_id).first()


@transaction.atomic
def record_intelligence(*, intelligence, by: User) -> Recorded:
    """Put a graded report into the network: an intelligence event (its sanitised text, date and
    place), each object it mentions (resolved by normalised value: a phone in any format is one
    phone) `reported_in` the event and `seen_at` its place, every link citing the report and
    carrying its grading. The police intelligence role does this; doing it again adds nothing."""
    from safehold.intelligence import rules as intelligence_rules

    _require_recorder(by)
    if not intelligence_rules.can_assess(by):
        raise NotPermitted("Only the police intelligence role records intelligence in the network")
    _require_intelligence_in_full(intelligence, by)
    place = intelligence_place(intelligence, by)
    event = NetworkEvent.objects.filter(
        kind=EventKind.INTELLIGENCE, reference=intelligence.reference, owning_agency=by.agency
    ).first() or record_event(
        kind=EventKind.INTELLIGENCE, date=intelligence.occurred_on,
        summary=_summary_of(intelligence), location=place,
        reference=intelligence.reference, by=by,
    )  # fmt: skip
    recorded = Recorded(event=event, place=place)
    cited = {
        (link.end_a_id, link.end_b_id, link.type)
        for link in NetworkLink.objects.filter(intelligence=intelligence, owning_agency=by.agency)
    }
    grading = intelligence.grading.replace("/", "")

    def link(first, second, type: str) -> None:
        if (first.pk, second.pk, type) in cited:
            return
        add_link(
            end_a=_entity_id(first), end_b=_entity_id(second), type=type, by=by,
            date_from=intelligence.occurred_on, intelligence=intelligence,
            source_reference=intelligence.reference, grading=grading,
        )  # fmt: skip
        cited.add((first.pk, second.pk, type))
        recorded.added += 1

    for mention in intelligence.mentions.all():
        kind = MENTIONED_OBJECTS.get(mention.kind)
        if kind is None or not normalise(kind, mention.value):
            recorded.by_hand.append(mention)
            continue
        known = NetworkObject.objects.filter(
            kind=kind, normalised=normalise(kind, mention.value)
        ).exists()
        obj = record_object(kind=kind, value=mention.value, by=by)
        recorded.objects.append((obj, known))
        link(obj, event, LinkType.REPORTED_IN)
        if place is not None:
            link(obj, place, LinkType.SEEN_AT)
    return recorded


def _summary_of(intelligence) -> str:
    """What the network says of a report: its sanitised text when its handling code lets
    partners have it (P); under C (named agencies only, with conditions) the network, which
    intelligence-sharing partners see, names the report only."""
    if intelligence.handling_code == "P":
        return intelligence.sanitised_text[:300]
    return f"{intelligence.reference}: handling code C, conditions apply (read the report)"


def _entity_id(record) -> str:
    kinds = {
        Person: EndKind.PERSON, Location: EndKind.LOCATION, NetworkObject: EndKind.OBJECT,
        NetworkEvent: EndKind.EVENT, OrganisedCrimeGroup: EndKind.OCG,
    }  # fmt: skip
    return f"{kinds[type(record)]}:{record.pk}"


# Organised crime groups.


def _check_group(*, name: str, status: str, activities: Iterable[str], areas: Iterable[str]):
    if not name.strip():
        raise NetworkError("Enter the name of the group")
    if status not in OcgStatus.values:
        raise NetworkError("Select the group's status")
    activities = list(dict.fromkeys(activities))
    if not activities:
        raise NetworkError("Select the group's principal activities")
    if set(activities) - set(Activity.values):
        raise NetworkError("Select the group's principal activities from the list")
    codes = [a.strip().upper() for a in areas if a.strip()]
    for code in codes:
        if not re.fullmatch(r"[EW]0[0-9]{7}", code):
            raise NetworkError(f"Enter ward or LSOA codes like E05000782, not {code[:12]}")
    return name.strip(), activities, list(dict.fromkeys(codes))


@transaction.atomic
def create_group(
    *,
    name: str,
    activities: Iterable[str],
    by: User,
    status: str = OcgStatus.ACTIVE,
    areas: Iterable[str] = (),
    description: str = "",
) -> OrganisedCrimeGroup:
    """Profile a new group, owned by the actor's agency."""
    _require_recorder(by)
    name, activities, areas = _check_group(
        name=name, status=status, activities=activities, areas=areas
    )
    if OrganisedCrimeGroup.objects.filter(owning_agency=by.agency, name__iexact=name).exists():
        raise NetworkError("Your organisation already has a group with that name")
    ocg = OrganisedCrimeGroup.objects.create(
        name=name, status=status, activities=activities, areas=areas,
        description=description.strip(), owning_agency=by.agency,
    )  # fmt: skip
    _history(ocg, by, "Group profiled")
    audit.record(action=Action.COLLECT, actor=by, target=ocg, purpose="OCG profiled")
    return ocg


@transaction.atomic
def edit_group(
    *,
    ocg: OrganisedCrimeGroup,
    name: str,
    status: str,
    activities: Iterable[str],
    areas: Iterable[str],
    description: str,
    by: User,
) -> OrganisedCrimeGroup:
    """Change a group's name, status, activities, areas or description; the history names the
    fields changed."""
    _require_changes_group(by, ocg)
    name, activities, areas = _check_group(
        name=name, status=status, activities=activities, areas=areas
    )
    others = OrganisedCrimeGroup.objects.filter(owning_agency=ocg.owning_agency, name__iexact=name)
    if others.exclude(pk=ocg.pk).exists():
        raise NetworkError("Your organisation already has a group with that name")
    new = {
        "name": name, "status": status, "activities": activities, "areas": areas,
        "description": description.strip(),
    }  # fmt: skip
    changed = [field for field, value in new.items() if getattr(ocg, field) != value]
    if not changed:
        return ocg
    for field in changed:
        setattr(ocg, field, new[field])
    ocg.save(update_fields=[*changed, "modified_at"])
    words = ", ".join(f.replace("_", " ") for f in changed)
    what = f"Status changed to {ocg.get_status_display().lower()}" if changed == ["status"] else ""
    _history(ocg, by, what or f"Profile changed: {words}")
    audit.record(action=Action.ALTER, actor=by, target=ocg, purpose=f"OCG profile changed: {words}")
    return ocg


@transaction.atomic
def add_member(
    *,
    ocg: OrganisedCrimeGroup,
    person: Person,
    role: str,
    by: User,
    date_from: datetime.date | None = None,
) -> OCGMember:
    """Record a person the actor may see as a member of the group, in a role."""
    _require_changes_group(by, ocg)
    if not selectors.network_people(by).filter(pk=person.pk).exists():
        raise NotPermitted("You cannot add that person")
    if role not in MemberRole.values:
        raise NetworkError("Select the member's role")
    if ocg.members.filter(person=person, date_to__isnull=True).exists():
        raise Conflict("That person is already a current member of the group")
    member = OCGMember.objects.create(ocg=ocg, person=person, role=role, date_from=date_from)
    _history(ocg, by, f"Member added as {member.get_role_display().lower()}")
    audit.record(
        action=Action.COLLECT, actor=by, target=member, subjects=[person],
        purpose="OCG member added",
    )  # fmt: skip
    return member


@transaction.atomic
def end_membership(*, member: OCGMember, date_to: datetime.date, by: User) -> OCGMember:
    """Record the date a person stopped being a member (the membership stays in the profile)."""
    _require_changes_group(by, member.ocg)
    if member.date_to is not None:
        raise Conflict("That membership has already ended")
    if member.date_from and date_to < member.date_from:
        raise NetworkError("The date the membership ended must be on or after it began")
    member.date_to = date_to
    member.save(update_fields=["date_to", "modified_at"])
    _history(member.ocg, by, f"Membership ended ({member.get_role_display().lower()})")
    audit.record(
        action=Action.ALTER, actor=by, target=member, subjects=[member.person_id],
        purpose="OCG membership ended",
    )  # fmt: skip
    return member


@transaction.atomic
def add_premises(
    *, ocg: OrganisedCrimeGroup, location: Location, why: str, by: User
) -> OCGPremises:
    """Link a place the actor may see to the group (a cuckooed address), saying why."""
    _require_changes_group(by, ocg)
    if not selectors.network_places(by).filter(pk=location.pk).exists():
        raise NotPermitted("You cannot add that place")
    if not why.strip():
        raise NetworkError("Enter why the premises is linked to the group")
    if ocg.premises.filter(location=location).exists():
        raise Conflict("That premises is already linked to the group")
    row = OCGPremises.objects.create(ocg=ocg, location=location, why=why.strip())
    _history(ocg, by, "Premises added")
    audit.record(
        action=Action.COLLECT, actor=by, target=row, object_ids=[location.pk],
        purpose="OCG premises added",
    )  # fmt: skip
    return row


@transaction.atomic
def assess_threat(
    *,
    ocg: OrganisedCrimeGroup,
    harm: int,
    harm_reason: str,
    capability: int,
    capability_reason: str,
    intent: int,
    intent_reason: str,
    by: User,
) -> ThreatAssessment:
    """Record a new threat assessment; its band follows the documented rule (`threat.band`)."""
    _require_changes_group(by, ocg)
    for value, reason, words in (
        (harm, harm_reason, "harm"),
        (capability, capability_reason, "capability"),
        (intent, intent_reason, "intent"),
    ):
        if value not in threat.LEVELS:
            raise NetworkError(f"Select the group's {words}: low, medium or high")
        if not reason.strip():
            raise NetworkError(f"Enter the reason for the {words} level")
    assessment = ThreatAssessment.objects.create(
        ocg=ocg, harm=harm, harm_reason=harm_reason.strip(), capability=capability,
        capability_reason=capability_reason.strip(), intent=intent,
        intent_reason=intent_reason.strip(),
        band=threat.band(harm=harm, capability=capability, intent=intent),
        assessed_by=by, assessed_at=timezone.now(),
    )  # fmt: skip
    _history(ocg, by, f"Threat assessed: {assessment.get_band_display().lower()}")
    audit.record(action=Action.COLLECT, actor=by, target=assessment, purpose="OCG threat assessed")
    return assessment


@transaction.atomic
def add_action(
    *,
    ocg: OrganisedCrimeGroup,
    strand: str,
    description: str,
    owner_agency: Agency,
    by: User,
    owner_user: User | None = None,
    due_on: datetime.date | None = None,
) -> FourPAction:
    """Add an action to the group's 4P plan, owned by an agency (and a user of it)."""
    _require_changes_group(by, ocg)
    if strand not in FourP.values:
        raise NetworkError("Select pursue, prevent, protect or prepare")
    if not description.strip():
        raise NetworkError("Enter what the action is")
    if owner_user is not None and owner_user.agency_id != owner_agency.pk:
        raise NetworkError("The action's owner must work for the agency that owns it")
    action = FourPAction.objects.create(
        ocg=ocg, strand=strand, description=description.strip(), owner_agency=owner_agency,
        owner_user=owner_user, due_on=due_on,
    )  # fmt: skip
    _history(ocg, by, f"{action.get_strand_display()} action added")
    audit.record(action=Action.COLLECT, actor=by, target=action, purpose="4P action added")
    return action


@transaction.atomic
def complete_action(
    *, action: FourPAction, by: User, on: datetime.date | None = None
) -> FourPAction:
    """Mark a 4P action done."""
    _require_changes_group(by, action.ocg)
    if action.status == ActionStatus.DONE:
        raise Conflict("That action is already done")
    action.status, action.completed_on = ActionStatus.DONE, on or dates.today()
    action.save(update_fields=["status", "completed_on", "modified_at"])
    _history(action.ocg, by, f"{action.get_strand_display()} action done")
    audit.record(action=Action.ALTER, actor=by, target=action, purpose="4P action done")
    return action
