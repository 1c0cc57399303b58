"""Planning an operation: the operation itself, its partners, premises and people of interest."""

import datetime
from collections.abc import Iterable

from django.db import transaction

from safehold import audit
from safehold.accounts.models import Agency, User
from safehold.audit.choices import Action
from safehold.core.errors import NotPermitted
from safehold.geography.models import Lsoa, Ward
from safehold.operations import rules
from safehold.operations.choices import OperationKind, Phase
from safehold.operations.models import (
    Operation,
    OperationPartner,
    OperationPremises,
    PersonOfInterest,
)
from safehold.operations.services.errors import OperationError, require_leads
from safehold.people.models import Location, Person
from safehold.people.selectors import locations_visible_to, people_visible_to


def _check(*, name: str, kind: str, phase: str, starts_at: datetime.datetime) -> None:
    if not name.strip():
        raise OperationError("Enter the name of the operation")
    if kind not in OperationKind.values:
        raise OperationError("Select the kind of operation")
    if phase not in Phase.values:
        raise OperationError("Select the phase: clear, hold or build")
    if starts_at.tzinfo is None:
        raise TypeError("starts_at must be an aware datetime")


@transaction.atomic
def plan_operation(
    *,
    name: str,
    kind: str,
    starts_at: datetime.datetime,
    by: User | None,
    owning_agency: Agency | None = None,
    partners: Iterable[Agency] = (),
    briefing: str = "",
    ward: Ward | None = None,
    lsoa: Lsoa | None = None,
    area_description: str = "",
    phase: str = Phase.CLEAR,
    import_key: str = "",
) -> Operation:
    """Plan an operation led by the actor's agency (or, from the command line without a user,
    by `owning_agency`), with the agencies taking part."""
    if by is not None:
        if not rules.can_plan(by):
            raise NotPermitted("You cannot plan operations")
        owning_agency = by.agency
    if owning_agency is None:
        raise OperationError("Select the lead agency")
    _check(name=name, kind=kind, phase=phase, starts_at=starts_at)
    if lsoa is not None and ward is None:
        ward = lsoa.ward
    operation = Operation.objects.create(
        name=name.strip(), kind=kind, owning_agency=owning_agency, starts_at=starts_at,
        briefing=briefing, ward=ward, lsoa=lsoa, area_description=area_description.strip(),
        phase=phase, import_key=import_key, planned_by=by,
    )  # fmt: skip
    partner_ids = {a.pk for a in partners} - {owning_agency.pk}
    OperationPartner.objects.bulk_create(
        OperationPartner(operation=operation, agency_id=pk) for pk in sorted(partner_ids)
    )
    audit.record(action=Action.COLLECT, actor=by, target=operation, purpose="operation planned")
    return operation


@transaction.atomic
def change_operation(
    *,
    operation: Operation,
    by: User | None,
    name: str,
    kind: str,
    starts_at: datetime.datetime,
    partners: Iterable[Agency],
    briefing: str,
    ward: Ward | None,
    lsoa: Lsoa | None,
    area_description: str,
    phase: str,
) -> list[str]:
    """Change the plan (the lead agency): what changed, in words, for the page and the audit.
    An agency taken off the partners no longer sees the operation; its recorded results stay."""
    require_leads(by, operation)
    _check(name=name, kind=kind, phase=phase, starts_at=starts_at)
    if lsoa is not None and ward is None:
        ward = lsoa.ward
    values = {
        "name": name.strip(), "kind": kind, "starts_at": starts_at, "briefing": briefing,
        "ward": ward, "lsoa": lsoa, "area_description": area_description.strip(), "phase": phase,
    }  # fmt: skip
    changed = [field for field, value in values.items() if getattr(operation, field) != value]
    for field in changed:
        setattr(operation, field, values[field])
    wanted = {a.pk for a in partners} - {operation.owning_agency_id}
    current = set(operation.partners.values_list("agency_id", flat=True))
    if wanted != current:
        operation.partners.filter(agency_id__in=current - wanted).delete()
        OperationPartner.objects.bulk_create(
            OperationPartner(operation=operation, agency_id=pk) for pk in sorted(wanted - current)
        )
        changed.append("partners")
    if changed:
        operation.save(update_fields=[f for f in changed if f != "partners"] + ["modified_at"])
        audit.record(
            action=Action.ALTER, actor=by, target=operation,
            purpose=f"operation plan changed: {', '.join(changed)}",
        )  # fmt: skip
    return changed


@transaction.atomic
def add_premises(*, operation: Operation, location: Location, by: User) -> OperationPremises:
    """Add a target premises: a place the actor may see."""
    require_leads(by, operation)
    if not locations_visible_to(by).filter(pk=location.pk).exists():
        raise NotPermitted("You cannot add that place")
    if operation.premises.filter(location=location).exists():
        raise OperationError("That premises is already a target of the operation")
    premises = OperationPremises.objects.create(operation=operation, location=location)
    audit.record(
        action=Action.COLLECT, actor=by, target=premises, object_ids=[location.pk],
        purpose="operation premises added",
    )  # fmt: skip
    return premises


@transaction.atomic
def remove_premises(*, premises: OperationPremises, by: User) -> None:
    """Take a premises off the plan (not once results are recorded against it)."""
    require_leads(by, premises.operation)
    if premises.results.exists():
        raise OperationError("Results are recorded at this premises: it cannot be removed")
    audit.record(
        action=Action.ERASE, actor=by, target=premises, object_ids=[premises.location_id],
        purpose="operation premises removed",
    )  # fmt: skip
    premises.delete()


@transaction.atomic
def add_person(*, operation: Operation, person: Person, by: User) -> PersonOfInterest:
    """Add a person of interest: a person the actor may see."""
    require_leads(by, operation)
    if not people_visible_to(by).filter(pk=person.pk).exists():
        raise NotPermitted("You cannot add that person")
    if operation.people_of_interest.filter(person=person).exists():
        raise OperationError("That person is already a person of interest")
    row = PersonOfInterest.objects.create(operation=operation, person=person)
    audit.record(
        action=Action.COLLECT, actor=by, target=row, subjects=[person],
        purpose="person of interest added",
    )  # fmt: skip
    return row


@transaction.atomic
def remove_person(*, row: PersonOfInterest, by: User) -> None:
    require_leads(by, row.operation)
    audit.record(
        action=Action.ERASE, actor=by, target=row, subjects=[row.person_id],
        purpose="person of interest removed",
    )  # fmt: skip
    row.delete()
