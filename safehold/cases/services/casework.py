"""The work recorded on an open case: chronology entries, people linked, interventions.

Each function is one use case and one transaction: linking someone not yet known records
them as a person of the case's agency and links them, or does neither.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction

from safehold import audit
from safehold.accounts.models import Agency, User
from safehold.audit.choices import Action
from safehold.cases import rules
from safehold.cases.choices import EntryKind
from safehold.cases.models import Case, CaseLink, ChronologyEntry, Intervention, InterventionType
from safehold.cases.services.cases import (
    CaseError,
    audit_change,
    record_event,
    require_open,
    require_open_for,
    require_visible,
)
from safehold.people import services as people_services
from safehold.people.models import Person


@transaction.atomic
def add_entry(
    *, case: Case, by: User, kind: str, occurred_at: datetime.datetime, summary: str, item: str = ""
) -> ChronologyEntry:
    """Record a note, visit, contact, custody visit or item given in the chronology: by the
    holder, or a partner agency the case is shared with in full (attributed to its user)."""
    require_open_for(by, case, rules.can_add_entry, case, "add to the chronology")
    if kind == EntryKind.EVENT:
        raise CaseError("Case events are written by Safehold, not entered by hand")
    entry = ChronologyEntry.objects.create(
        case=case, kind=kind, occurred_at=occurred_at, summary=summary, item=item, recorded_by=by
    )
    audit_change(case, by, f"chronology {kind} added", action=Action.COLLECT, target=entry)
    return entry


@dataclass(frozen=True)
class NewPerson:
    """Someone not known yet, to be recorded as a person of the case's agency when linked."""

    given_name: str
    family_name: str


@transaction.atomic
def link_person(
    *, case: Case, by: User, person: Person | NewPerson, role: str, notes: str = ""
) -> CaseLink:
    """Link another person to the case (perpetrator, associate, family member, drug user):
    someone already known, or a `NewPerson` recorded for the case's agency first."""
    require_open(case, by)
    if isinstance(person, NewPerson):
        person = people_services.create_person(
            owning_agency=case.owning_agency,
            given_name=person.given_name,
            family_name=person.family_name,
            by=by,
        )
    return _link(case=case, by=by, person=person, role=role, notes=notes)


def _link(*, case: Case, by: User | None, person: Person, role: str, notes: str) -> CaseLink:
    require_visible(by, person)
    if person.pk == case.subject_id:
        raise CaseError("The subject of the case is already on it")
    link, created = CaseLink.objects.get_or_create(
        case=case, person=person, role=role, defaults={"notes": notes}
    )
    if created:
        record_event(case, f"{person.full_name} linked as {link.get_role_display().lower()}", by)
        audit.record(
            action=Action.COMBINE,
            actor=by,
            target=link,
            object_ids=[case.pk, person.pk],
            subjects=[case.subject_id, person.pk],
            purpose=f"{case.reference}: person linked as {link.get_role_display().lower()}",
        )
    return link


@transaction.atomic
def add_intervention(
    *,
    case: Case,
    by: User,
    type: InterventionType,
    agency: Agency,
    started_on: datetime.date,
    ended_on: datetime.date | None = None,
    notes: str = "",
) -> Intervention:
    """Record support given to the person (a referral to a service, a safety plan, …)."""
    require_open(case, by)
    if ended_on and ended_on < started_on:
        raise CaseError("The end date must be the same as or after the start date")
    intervention = Intervention.objects.create(
        case=case, type=type, agency=agency, started_on=started_on, ended_on=ended_on, notes=notes
    )
    record_event(case, f"Intervention: {type.name} ({agency.name})", by)
    audit_change(
        case, by, f"intervention {type.code} added", action=Action.COLLECT, target=intervention
    )
    return intervention
