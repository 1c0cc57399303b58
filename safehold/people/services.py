"""Every change to people and locations, each audited in the same transaction."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction

from safehold import audit
from safehold.accounts.models import Agency, User
from safehold.audit.choices import Action
from safehold.core.errors import NotPermitted
from safehold.core.locking import save_if_unchanged
from safehold.core.postcodes import normalise_postcode
from safehold.geography import postcodes
from safehold.people import rules
from safehold.people.models import Location, Person, PersonAlias, Vulnerability
from safehold.people.restrictions import require_settable


def require_may_record(by: User | None, rule, target) -> None:
    """Only casework roles of an agency record or change its people and places (a record shared
    with another agency is read-only there: `safehold/people/rules.py`). `by=None` is Safehold
    itself or the command line."""
    if by is not None and not rule(by, target):
        raise NotPermitted("You cannot change this organisation's records")


def _set_aliases(person: Person, aliases: Iterable[str]) -> None:
    wanted = {a.strip() for a in aliases if a.strip()}
    person.aliases.exclude(name__in=wanted).delete()
    existing = set(person.aliases.values_list("name", flat=True))
    PersonAlias.objects.bulk_create(
        [PersonAlias(person=person, name=n) for n in sorted(wanted - existing)]
    )


@transaction.atomic
def create_person(
    *,
    owning_agency: Agency,
    given_name: str,
    family_name: str,
    date_of_birth: datetime.date | None = None,
    gender: str = "not_known",
    vulnerabilities: Iterable[Vulnerability] = (),
    aliases: Iterable[str] = (),
    police_intelligence: str = "",
    health_details: str = "",
    by: User | None,
) -> Person:
    """Record a new person for an agency. Restricted fields (police intelligence, health
    details) may be given only by a user who may see them (safehold/people/restrictions.py)."""
    require_may_record(by, rules.can_record_for, owning_agency)
    restricted = {"police_intelligence": police_intelligence, "health_details": health_details}
    require_settable(by, [name for name, value in restricted.items() if value])
    person = Person.objects.create(
        owning_agency=owning_agency,
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        date_of_birth=date_of_birth,
        gender=gender,
        police_intelligence=police_intelligence.strip(),
        health_details=health_details.strip(),
    )
    person.vulnerabilities.set(vulnerabilities)
    _set_aliases(person, aliases)
    audit.record(
        action=Action.COLLECT, actor=by, target=person, subjects=[person], purpose="person created"
    )
    return person


PERSON_FIELDS = (
    "given_name", "family_name", "date_of_birth", "gender", "police_intelligence", "health_details",
)  # fmt: skip


@transaction.atomic
def update_person(
    *,
    person: Person,
    by: User,
    vulnerabilities: Iterable[Vulnerability] | None = None,
    aliases: Iterable[str] | None = None,
    version: int | None = None,
    **fields,
) -> Person:
    """Change a person's details; the audit event names the fields changed, never their values.

    A field left out is left as it is: a user who may not see a restricted field is never
    given it, so their edit cannot wipe it, and if they pass it anyway it is refused.
    `version` is the person's version the change was based on (a page's or an API caller's):
    if someone else has changed the person since, nothing is saved (`EditConflict`, ADR 0061).
    A save that changes nothing is not a conflict.
    """
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"update_person() got unexpected fields: {', '.join(sorted(unknown))}")
    require_may_record(by, rules.can_change_record, person)
    require_settable(by, fields, person)
    changed = [name for name, value in fields.items() if getattr(person, name) != value]
    if vulnerabilities is not None:
        vulnerabilities = list(vulnerabilities)
        if {v.pk for v in vulnerabilities} == set(
            person.vulnerabilities.values_list("pk", flat=True)
        ):
            vulnerabilities = None
    if aliases is not None:
        aliases = [a.strip() for a in aliases if a.strip()]
        if set(aliases) == set(person.aliases.values_list("name", flat=True)):
            aliases = None
    if not changed and vulnerabilities is None and aliases is None:
        return person
    for name in changed:
        setattr(person, name, fields[name])
    save_if_unchanged(person, version=version, fields=changed, noun="person")
    if vulnerabilities is not None:
        person.vulnerabilities.set(vulnerabilities)
        changed.append("vulnerabilities")
    if aliases is not None:
        _set_aliases(person, aliases)
        changed.append("aliases")
    audit.record(
        action=Action.ALTER,
        actor=by,
        target=person,
        subjects=[person],
        purpose=f"changed: {', '.join(changed)}",
    )
    return person


LOCATION_FIELDS = (
    "address_line_1", "address_line_2", "town", "postcode", "uprn", "ward", "lsoa",
    "latitude", "longitude", "tenure", "landlord",
)  # fmt: skip


AREA_FIELDS = ("ward", "lsoa", "latitude", "longitude")


def _areas_from_postcode(fields: dict) -> None:
    """Fill the place's coordinates, LSOA and ward from its postcode where they are not given
    (ADR 0037): the postcode's point, and the partnership's LSOA and ward that hold it."""
    if not fields.get("postcode") or all(fields.get(n) is not None for n in AREA_FIELDS):
        return
    found = postcodes.look_up(fields["postcode"])
    if found is None:
        return
    for name in ("ward", "lsoa"):
        given = fields.get(name)
        if given is not None and given != getattr(found, name):
            return  # the caller placed it elsewhere: the postcode's point is not this place's
    if fields.get("latitude") is None and fields.get("longitude") is None:
        fields["latitude"] = Decimal(f"{found.place.latitude:.6f}")
        fields["longitude"] = Decimal(f"{found.place.longitude:.6f}")
    if fields.get("lsoa") is None and found.lsoa is not None:
        fields["lsoa"] = found.lsoa
    if fields.get("ward") is None and found.ward is not None:
        fields["ward"] = found.ward


@transaction.atomic
def create_location(*, owning_agency: Agency, by: User | None, **fields) -> Location:
    """Record an address for an agency."""
    unknown = set(fields) - set(LOCATION_FIELDS)
    if unknown:
        raise TypeError(f"create_location() got unexpected fields: {', '.join(sorted(unknown))}")
    require_may_record(by, rules.can_record_for, owning_agency)
    if "postcode" in fields:
        fields["postcode"] = normalise_postcode(fields["postcode"])
    if fields.get("lsoa") is not None and fields.get("ward") is None:
        fields["ward"] = fields["lsoa"].ward
    _areas_from_postcode(fields)
    location = Location.objects.create(owning_agency=owning_agency, **fields)
    audit.record(action=Action.COLLECT, actor=by, target=location, purpose="location created")
    return location


@transaction.atomic
def update_location(*, location: Location, by: User, **fields) -> Location:
    unknown = set(fields) - set(LOCATION_FIELDS)
    if unknown:
        raise TypeError(f"update_location() got unexpected fields: {', '.join(sorted(unknown))}")
    require_may_record(by, rules.can_change_record, location)
    if "postcode" in fields:
        fields["postcode"] = normalise_postcode(fields["postcode"])
        if fields["postcode"] != location.postcode and postcodes.look_up(fields["postcode"]):
            # A new, known postcode: the areas and point kept from the old one are stale.
            for name in AREA_FIELDS:
                if name in fields and fields[name] == getattr(location, name):
                    fields[name] = None
        _areas_from_postcode(fields)
    changed = [name for name, value in fields.items() if getattr(location, name) != value]
    for name in changed:
        setattr(location, name, fields[name])
    if changed:
        location.save(update_fields=[*changed, "modified_at"])
        audit.record(
            action=Action.ALTER, actor=by, target=location, purpose=f"changed: {', '.join(changed)}"
        )
    return location
