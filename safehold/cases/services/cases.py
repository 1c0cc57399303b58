"""A case's life: setting up a programme, opening, the risk level, the lead officer, closing
(with the ASB handover) and reopening; and the checks and records every case service makes.

The work recorded on an open case is in `casework.py` (chronology, people linked,
interventions), `enforcement.py` (enforcement actions and their documents) and `tasks.py`.
Every service checks its actor with the predicates of `safehold/cases/rules.py` and is one
transaction with its audit event, whoever calls it: a page, the API or the command line.
"""

import datetime
import re

from django.db import transaction
from django.utils import timezone

from safehold import audit
from safehold.accounts.models import Agency, User
from safehold.audit.choices import Action
from safehold.cases import rules
from safehold.cases.choices import (
    CaseStatus,
    ClosureReason,
    EntryKind,
    OpenTasksOnClosing,
    TaskStatus,
)
from safehold.cases.models import (
    AsbHandover,
    Case,
    ChronologyEntry,
    Programme,
    Referral,
    ReferralSource,
    RiskAssessment,
    Task,
)
from safehold.cases.services import notices
from safehold.cases.services.references import next_reference
from safehold.core.errors import NotPermitted, ServiceError
from safehold.core.locking import require_version, save_if_unchanged
from safehold.people.models import Location, Person
from safehold.people.selectors import locations_visible_to, people_visible_to

PREFIX = re.compile(r"[A-Z]{2,8}")


class CaseClosed(ServiceError):
    """A closed case is read-only: reopen it first."""

    def __init__(self, case: Case):
        super().__init__(f"Case {case.reference} is closed: reopen it to make changes")


class CaseError(ServiceError):
    """A change that the case's state does not allow."""


def require_may_change(by: User | None, case: Case) -> None:
    """Only casework roles of the agency that holds a case change it (a shared case is read
    only). `by=None` is Safehold itself or the command line run without --user."""
    if by is not None and not rules.can_change_case(by, case):
        raise NotPermitted(f"You cannot change case {case.reference}")


def require_visible(by: User | None, person: Person | None) -> None:
    """A person put on a case must be one the actor may see."""
    if by is not None and person is not None:
        if not people_visible_to(by).filter(pk=person.pk).exists():
            raise NotPermitted("You cannot add that person")


def require_open(case: Case, by: User | None) -> None:
    """The actor may change the case, and it is open."""
    require_may_change(by, case)
    if case.status == CaseStatus.CLOSED:
        raise CaseClosed(case)


def require_open_for(by: User | None, case: Case, allowed, record, what: str) -> None:
    """The actor may do this (`allowed`, a predicate of `rules.py`, asked of `record`), and the
    case is open: for the work a partner with a full share may do as well as the holder."""
    if by is not None and not allowed(by, record):
        raise NotPermitted(f"You cannot {what} on case {case.reference}")
    if case.status == CaseStatus.CLOSED:
        raise CaseClosed(case)


def record_event(
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


def audit_change(
    case: Case, by: User | None, purpose: str, *, action: str = Action.ALTER, target=None
) -> None:
    """The audit event of a change to a case or to a record on it (`target`)."""
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
    *,
    name: str,
    lead_agency: Agency,
    triage_team,
    asb_team=None,
    reference_prefix: str = "EXP",
    by: User | None,
) -> Programme:
    """Set up a casework programme (e.g. the exploitation project) for its lead agency: by an
    administrator of that agency, or by Safehold itself (`by=None`: the demo, the command line).

    Its cases are numbered PREFIX-YYYY-NNNN; its triage and ASB teams are teams of the lead
    agency."""
    if by is not None and not rules.can_set_up_programme(by, lead_agency):
        raise NotPermitted(f"You cannot set up a programme for {lead_agency.name}")
    name = " ".join(name.split())
    if not name:
        raise CaseError("Enter the programme's name")
    if Programme.objects.filter(name__iexact=name).exists():
        raise CaseError(f"There is already a programme called {name}")
    reference_prefix = reference_prefix.strip().upper()
    if not PREFIX.fullmatch(reference_prefix) or reference_prefix == "REF":
        raise CaseError(
            "The reference prefix must be 2 to 8 letters, and not REF (used for referrals)"
        )
    for team in (triage_team, asb_team):
        if team is not None and team.agency_id != lead_agency.pk:
            raise CaseError(f"{team.name} is not a team of {lead_agency.name}")
    programme = Programme.objects.create(
        name=name, lead_agency=lead_agency, triage_team=triage_team, asb_team=asb_team,
        reference_prefix=reference_prefix,
    )  # fmt: skip
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
    if by is not None and not rules.can_open_case_in(by, programme):
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
    record_event(
        case, "Case opened" + (f" from referral {referral.reference}" if referral else ""), by
    )
    audit_change(case, by, "case opened", action=Action.COLLECT)
    return case


@transaction.atomic
def change_risk(
    *, case: Case, by: User, level: str, rationale: str, version: int | None = None
) -> Case:
    """Set a case's risk level with why. `version` is the case's version the change was based
    on (the page's or the API caller's); a case changed since is refused (ADR 0061)."""
    require_open(case, by)
    require_version(case, version, "case")
    previous = case.get_risk_level_display()
    case.risk_level, case.risk_rationale = level, rationale
    save_if_unchanged(case, version=version, fields=["risk_level", "risk_rationale"], noun="case")
    RiskAssessment.objects.create(case=case, level=level, rationale=rationale, assessed_by=by)
    record_event(
        case, f"Risk changed from {previous.lower()} to {case.get_risk_level_display().lower()}", by
    )
    audit_change(case, by, "risk level changed")
    return case


@transaction.atomic
def assign_lead_officer(*, case: Case, by: User, officer: User, version: int | None = None) -> Case:
    require_open(case, by)
    require_version(case, version, "case")
    if officer.agency_id != case.owning_agency_id:
        raise CaseError("The lead officer must work for the agency that holds the case")
    case.lead_officer = officer
    save_if_unchanged(case, version=version, fields=["lead_officer"], noun="case")
    record_event(case, f"Lead officer is now {officer.full_name}", by)
    audit_change(case, by, "lead officer changed")
    return case


def _end_open_tasks(
    case: Case, by: User | None, open_tasks: str, hand_over_to: User | None
) -> list[Task]:
    """Close or hand over every task still open on a case that is closing (ADR 0035)."""
    waiting = list(case.tasks.filter(status=TaskStatus.OPEN).order_by("due_on"))
    if not waiting:
        return []
    if open_tasks not in OpenTasksOnClosing.values:
        raise CaseError(
            f"Choose what to do with the {len(waiting)} open task{'s' if len(waiting) > 1 else ''}"
        )
    if open_tasks == OpenTasksOnClosing.HAND_OVER:
        if hand_over_to is None:
            raise CaseError("Choose who the open tasks are handed over to")
        if hand_over_to.agency_id != case.owning_agency_id or not hand_over_to.is_active:
            raise CaseError(
                "Tasks are handed over to someone who works for the agency holding the case"
            )
    now = timezone.now()
    for task in waiting:
        if open_tasks == OpenTasksOnClosing.HAND_OVER:
            task.status, task.owner, task.owner_agency_id = (
                TaskStatus.HANDED_OVER, hand_over_to, hand_over_to.agency_id,
            )  # fmt: skip
        else:
            task.status = TaskStatus.CLOSED
        task.completed_at, task.completed_by = now, by
        task.save(
            update_fields=[
                "status",
                "owner",
                "owner_agency",
                "completed_at",
                "completed_by",
                "modified_at",
            ]
        )
    titles = "; ".join(t.title for t in waiting)
    record_event(
        case,
        f"Tasks handed over to {hand_over_to.full_name}: {titles}"
        if open_tasks == OpenTasksOnClosing.HAND_OVER
        else f"Tasks closed with the case: {titles}",
        by,
    )
    audit.record(
        action=Action.ALTER,
        actor=by,
        targets=waiting,
        object_ids=[case.pk],
        subjects=[case.subject_id],
        purpose=f"{case.reference}: open tasks {'handed over' if hand_over_to else 'closed'} on closing",
    )
    if hand_over_to is not None:
        notices.tasks_handed_over(case, waiting, hand_over_to, by)
    return waiting


@transaction.atomic
def close_case(
    *,
    case: Case,
    by: User | None,
    reason: str,
    closed_on: datetime.date,
    tenancy_sustained: bool | None,
    notes: str = "",
    open_tasks: str = "",
    hand_over_to: User | None = None,
    version: int | None = None,
) -> Case:
    """Close a case with its outcome. "Refused to engage" passes it to the ASB team with its history.

    Tasks still open are closed or handed over (`open_tasks`, one of `OpenTasksOnClosing`):
    a case with open tasks does not close until the closer says which.
    """
    require_open(case, by)
    require_version(case, version, "case")
    if closed_on < case.referral_date:
        raise CaseError("The date closed must be the same as or after the referral date")
    _end_open_tasks(
        case, by, open_tasks, hand_over_to if open_tasks == OpenTasksOnClosing.HAND_OVER else None
    )
    case.status, case.closure_reason, case.closed_on = CaseStatus.CLOSED, reason, closed_on
    case.tenancy_sustained, case.closure_notes = tenancy_sustained, notes
    save_if_unchanged(
        case,
        version=version,
        fields=["status", "closure_reason", "closed_on", "tenancy_sustained", "closure_notes"],
        noun="case",
    )
    record_event(case, f"Case closed: {case.get_closure_reason_display().lower()}", by)
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
        record_event(case, f"Passed to {case.programme.asb_team.name} as an ASB case", by)
        audit.record(
            action=Action.DISCLOSE,
            actor=by,
            target=case,
            subjects=[case.subject_id],
            recipient_agencies=[case.owning_agency_id],
            purpose=f"{case.reference}: passed to the ASB team ({case.programme.asb_team.name}) with its history",
        )
    audit_change(case, by, f"case closed ({reason})")
    return case


@transaction.atomic
def reopen_case(*, case: Case, by: User, reason: str, version: int | None = None) -> Case:
    require_may_change(by, case)
    if case.status != CaseStatus.CLOSED:
        raise CaseError(f"Case {case.reference} is already open")
    require_version(case, version, "case")
    previous = case.get_closure_reason_display().lower()
    case.status, case.closed_on, case.closure_reason = CaseStatus.OPEN, None, ""
    save_if_unchanged(
        case, version=version, fields=["status", "closed_on", "closure_reason"], noun="case"
    )
    AsbHandover.objects.filter(case=case).delete()
    record_event(case, f"Case reopened (was closed: {previous}). Reason: {reason}", by)
    audit_change(case, by, "case reopened")
    return case


@transaction.atomic
def acknowledge_handover(*, handover: AsbHandover, by: User) -> AsbHandover:
    """The ASB team takes the case on; only a member of that team says so."""
    if by is not None and not rules.can_acknowledge_handover(by, handover):
        raise NotPermitted("Only the ASB team the case was passed to can acknowledge it")
    handover.acknowledged_at, handover.acknowledged_by = timezone.now(), by
    handover.save(update_fields=["acknowledged_at", "acknowledged_by", "modified_at"])
    audit_change(handover.case, by, "ASB handover acknowledged", target=handover)
    return handover
