"""Cases: opening, the chronology, people linked, interventions, enforcement, tasks, closure."""

import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from safehold import audit
from safehold.accounts import rules as account_rules
from safehold.accounts.models import Agency, User
from safehold.audit.choices import Action
from safehold.cases.choices import CaseStatus, ClosureReason, EntryKind, TaskStatus
from safehold.cases.models import (
    AsbHandover,
    Case,
    CaseLink,
    ChronologyEntry,
    EnforcementAction,
    EnforcementDocument,
    Intervention,
    InterventionType,
    Programme,
    Referral,
    ReferralSource,
    RiskAssessment,
    Task,
)
from safehold.cases.services.references import next_reference
from safehold.core.errors import NotPermitted, ServiceError
from safehold.people.models import Location, Person
from safehold.people.selectors import locations_visible_to, people_visible_to


class CaseClosed(ServiceError):
    """A closed case is read-only: reopen it first."""

    def __init__(self, case: Case):
        super().__init__(f"Case {case.reference} is closed: reopen it to make changes")


class CaseError(ServiceError):
    """A change that the case's state does not allow."""


def require_may_change(by: User | None, case: Case) -> None:
    """Only casework roles of the agency that holds a case change it (a shared case is read
    only). `by=None` is Safehold itself or the command line run without --user."""
    if by is not None and not (
        account_rules.can_edit_people(by) and by.agency_id == case.owning_agency_id
    ):
        raise NotPermitted(f"You cannot change case {case.reference}")


def require_visible(by: User | None, person: Person | None) -> None:
    """A person put on a case must be one the actor may see."""
    if by is not None and person is not None:
        if not people_visible_to(by).filter(pk=person.pk).exists():
            raise NotPermitted("You cannot add that person")


def _require_open(case: Case, by: User | None) -> None:
    require_may_change(by, case)
    if case.status == CaseStatus.CLOSED:
        raise CaseClosed(case)


def _event(
    case: Case, summary: str, by: User | None, *, at: datetime.datetime | None = None
) -> ChronologyEntry:
    """A case event in the chronology (opened, risk changed, closed, …), written by a service."""
    return ChronologyEntry.objects.create(
        case=case,
        kind=EntryKind.EVENT,
        occurred_at=at or timezone.now(),
        summary=summary,
        recorded_by=by,
    )


def _audit(
    case: Case, by: User | None, purpose: str, *, action: str = Action.ALTER, target=None
) -> None:
    audit.record(
        action=action,
        actor=by,
        target=target or case,
        object_ids=[case.pk] if target is not None else (),
        subjects=[case.subject_id],
        purpose=f"{case.reference}: {purpose}",
    )


@transaction.atomic
def create_programme(
    *, name: str, lead_agency: Agency, triage_team, asb_team=None, by: User | None
) -> Programme:
    """Set up a casework programme (e.g. the exploitation project) for its lead agency."""
    for team in (triage_team, asb_team):
        if team is not None and team.agency_id != lead_agency.pk:
            raise CaseError(f"{team.name} is not a team of {lead_agency.name}")
    programme = Programme.objects.create(
        name=name, lead_agency=lead_agency, triage_team=triage_team, asb_team=asb_team
    )
    audit.record(action=Action.COLLECT, actor=by, target=programme, purpose="programme created")
    return programme


@transaction.atomic
def open_case(
    *,
    programme: Programme,
    referral_date: datetime.date,
    subject: Person,
    exploitation_type: str,
    by: User | None,
    referral: Referral | None = None,
    referral_source: ReferralSource | None = None,
    location: Location | None = None,
    area=None,
    other_types: list[str] = (),
    risk_level: str = "standard",
    risk_rationale: str = "",
    lead_officer: User | None = None,
    reference: str | None = None,
) -> Case:
    """Open a case owned by the programme's lead agency, numbered EXP-YYYY-NNNN."""
    if by is not None and not (
        account_rules.can_edit_people(by) and by.agency_id == programme.lead_agency_id
    ):
        raise NotPermitted(f"You cannot open a case in {programme.name}")
    require_visible(by, subject)
    if by is not None and location is not None:
        if not locations_visible_to(by).filter(pk=location.pk).exists():
            raise NotPermitted("You cannot use that address")
    if area is None and location is not None and location.ward_id:
        area = location.ward.neighbourhoods.order_by("name").first()
    case = Case.objects.create(
        programme=programme,
        reference=reference
        or next_reference(
            programme=programme, prefix=programme.reference_prefix, year=referral_date.year
        ),
        owning_agency=programme.lead_agency,
        referral=referral,
        referral_date=referral_date,
        referral_source=referral_source,
        subject=subject,
        location=location,
        area=area,
        lead_officer=lead_officer,
        exploitation_type=exploitation_type,
        other_types=list(other_types),
        risk_level=risk_level,
        risk_rationale=risk_rationale,
    )
    RiskAssessment.objects.create(
        case=case,
        level=risk_level,
        rationale=risk_rationale or "Set when the case was opened",
        assessed_by=by,
    )
    _event(case, "Case opened" + (f" from referral {referral.reference}" if referral else ""), by)
    _audit(case, by, "case opened", action=Action.COLLECT)
    return case


@transaction.atomic
def add_entry(
    *, case: Case, by: User, kind: str, occurred_at: datetime.datetime, summary: str, item: str = ""
) -> ChronologyEntry:
    """Record a note, visit, contact, custody visit or item given in the chronology."""
    _require_open(case, by)
    if kind == EntryKind.EVENT:
        raise CaseError("Case events are written by Safehold, not entered by hand")
    entry = ChronologyEntry.objects.create(
        case=case, kind=kind, occurred_at=occurred_at, summary=summary, item=item, recorded_by=by
    )
    _audit(case, by, f"chronology {kind} added", action=Action.COLLECT, target=entry)
    return entry


@transaction.atomic
def link_person(*, case: Case, by: User, person: Person, role: str, notes: str = "") -> CaseLink:
    """Link another person to the case (perpetrator, associate, family member, drug user)."""
    _require_open(case, by)
    require_visible(by, person)
    if person.pk == case.subject_id:
        raise CaseError("The subject of the case is already on it")
    link, created = CaseLink.objects.get_or_create(
        case=case, person=person, role=role, defaults={"notes": notes}
    )
    if created:
        _event(case, f"{person.full_name} linked as {link.get_role_display().lower()}", by)
        audit.record(
            action=Action.COMBINE,
            actor=by,
            target=link,
            object_ids=[case.pk, person.pk],
            subjects=[case.subject_id, person.pk],
            purpose=f"{case.reference}: person linked as {role}",
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
    _require_open(case, by)
    if ended_on and ended_on < started_on:
        raise CaseError("The end date must be the same as or after the start date")
    intervention = Intervention.objects.create(
        case=case, type=type, agency=agency, started_on=started_on, ended_on=ended_on, notes=notes
    )
    _event(case, f"Intervention: {type.name} ({agency.name})", by)
    _audit(case, by, f"intervention {type.code} added", action=Action.COLLECT, target=intervention)
    return intervention


@transaction.atomic
def add_enforcement(
    *,
    case: Case,
    by: User,
    kind: str,
    status: str,
    agency: Agency,
    started_on: datetime.date,
    served_at: datetime.datetime | None = None,
    ends_on: datetime.date | None = None,
    against: Person | None = None,
    notes: str = "",
) -> EnforcementAction:
    _require_open(case, by)
    require_visible(by, against)
    action = EnforcementAction.objects.create(
        case=case, kind=kind, status=status, agency=agency, started_on=started_on,
        served_at=served_at, ends_on=ends_on, against=against, notes=notes,
    )  # fmt: skip
    _event(
        case,
        f"Enforcement: {action.get_kind_display()} ({action.get_status_display().lower()}, {agency.name})",
        by,
    )
    _audit(case, by, f"enforcement {kind} added", action=Action.COLLECT, target=action)
    return action


@transaction.atomic
def update_enforcement(
    *, action: EnforcementAction, by: User, status: str, ends_on: datetime.date | None
) -> EnforcementAction:
    _require_open(action.case, by)
    changed = []
    if action.status != status:
        action.status = status
        changed.append("status")
    if action.ends_on != ends_on:
        action.ends_on = ends_on
        changed.append("ends_on")
    if changed:
        action.save(update_fields=[*changed, "modified_at"])
        _event(
            action.case,
            f"Enforcement updated: {action.get_kind_display()} now {action.get_status_display().lower()}",
            by,
        )
        _audit(action.case, by, f"enforcement changed: {', '.join(changed)}", target=action)
    return action


@transaction.atomic
def add_document(
    *, action: EnforcementAction, by: User, file: UploadedFile, name: str = ""
) -> EnforcementDocument:
    _require_open(action.case, by)
    document = EnforcementDocument.objects.create(
        action=action, file=file, name=name or file.name, uploaded_by=by
    )
    _audit(action.case, by, "enforcement document added", action=Action.COLLECT, target=document)
    return document


@transaction.atomic
def add_task(
    *,
    case: Case,
    by: User,
    title: str,
    due_on: datetime.date,
    owner: User | None = None,
    owner_agency: Agency | None = None,
) -> Task:
    """A task owned by a user (their agency owns it too) or by an agency alone."""
    _require_open(case, by)
    if owner is not None and owner.agency_id != case.owning_agency_id:
        raise CaseError("The task's owner must work for the agency that holds the case")
    agency = owner.agency if owner else (owner_agency or case.owning_agency)
    task = Task.objects.create(
        case=case, title=title, due_on=due_on, owner=owner, owner_agency=agency
    )
    _audit(case, by, "task added", action=Action.COLLECT, target=task)
    return task


@transaction.atomic
def complete_task(*, task: Task, by: User) -> Task:
    _require_open(task.case, by)
    if task.status == TaskStatus.DONE:
        return task
    task.status, task.completed_at, task.completed_by = TaskStatus.DONE, timezone.now(), by
    task.save(update_fields=["status", "completed_at", "completed_by", "modified_at"])
    _event(task.case, f"Task done: {task.title}", by)
    _audit(task.case, by, "task completed", target=task)
    return task


@transaction.atomic
def change_risk(*, case: Case, by: User, level: str, rationale: str) -> Case:
    _require_open(case, by)
    previous = case.get_risk_level_display()
    case.risk_level, case.risk_rationale = level, rationale
    case.save(update_fields=["risk_level", "risk_rationale", "modified_at"])
    RiskAssessment.objects.create(case=case, level=level, rationale=rationale, assessed_by=by)
    _event(
        case, f"Risk changed from {previous.lower()} to {case.get_risk_level_display().lower()}", by
    )
    _audit(case, by, "risk level changed")
    return case


@transaction.atomic
def assign_lead_officer(*, case: Case, by: User, officer: User) -> Case:
    _require_open(case, by)
    if officer.agency_id != case.owning_agency_id:
        raise CaseError("The lead officer must work for the agency that holds the case")
    case.lead_officer = officer
    case.save(update_fields=["lead_officer", "modified_at"])
    _event(case, f"Lead officer is now {officer.full_name}", by)
    _audit(case, by, "lead officer changed")
    return case


@transaction.atomic
def close_case(
    *,
    case: Case,
    by: User | None,
    reason: str,
    closed_on: datetime.date,
    tenancy_sustained: bool | None,
    notes: str = "",
) -> Case:
    """Close a case with its outcome. "Refused to engage" passes it to the ASB team with its history."""
    _require_open(case, by)
    if closed_on < case.referral_date:
        raise CaseError("The closed date must be the same as or after the referral date")
    case.status, case.closure_reason, case.closed_on = CaseStatus.CLOSED, reason, closed_on
    case.tenancy_sustained, case.closure_notes = tenancy_sustained, notes
    case.save(
        update_fields=[
            "status",
            "closure_reason",
            "closed_on",
            "tenancy_sustained",
            "closure_notes",
            "modified_at",
        ]
    )
    _event(case, f"Case closed: {case.get_closure_reason_display().lower()}", by)
    if reason == ClosureReason.NO_ENGAGEMENT and case.programme.asb_team_id:
        AsbHandover.objects.update_or_create(
            case=case,
            defaults={
                "team_id": case.programme.asb_team_id,
                "handed_over_by": by,
                "acknowledged_at": None,
                "acknowledged_by": None,
            },
        )
        _event(case, f"Passed to {case.programme.asb_team.name} as an ASB case", by)
        audit.record(
            action=Action.DISCLOSE,
            actor=by,
            target=case,
            subjects=[case.subject_id],
            recipient_agencies=[case.owning_agency_id],
            purpose=f"{case.reference}: passed to the ASB team ({case.programme.asb_team.name}) with its history",
        )
    _audit(case, by, f"case closed ({reason})")
    return case


@transaction.atomic
def reopen_case(*, case: Case, by: User, reason: str) -> Case:
    require_may_change(by, case)
    if case.status != CaseStatus.CLOSED:
        raise CaseError(f"Case {case.reference} is already open")
    previous = case.get_closure_reason_display().lower()
    case.status, case.closed_on, case.closure_reason = CaseStatus.OPEN, None, ""
    case.save(update_fields=["status", "closed_on", "closure_reason", "modified_at"])
    AsbHandover.objects.filter(case=case).delete()
    _event(case, f"Case reopened (was closed: {previous}). Reason: {reason}", by)
    _audit(case, by, "case reopened")
    return case


@transaction.atomic
def acknowledge_handover(*, handover: AsbHandover, by: User) -> AsbHandover:
    """The ASB team takes the case on; only a member of that team says so."""
    if by is not None and not by.teams.filter(pk=handover.team_id).exists():
        raise NotPermitted("Only the ASB team the case was passed to can acknowledge it")
    handover.acknowledged_at, handover.acknowledged_by = timezone.now(), by
    handover.save(update_fields=["acknowledged_at", "acknowledged_by", "modified_at"])
    _audit(handover.case, by, "ASB handover acknowledged", target=handover)
    return handover
