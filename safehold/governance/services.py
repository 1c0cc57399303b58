"""Writes for information governance: subject access requests, legal holds, retention decisions
and policies. Each is audited in the same transaction; erasure is in `erasure.py`."""

import datetime

from django.db import transaction
from django.utils import timezone

from safehold import audit
from safehold.accounts.models import User
from safehold.audit.choices import Action
from safehold.cases.deadlines import add_months
from safehold.cases.models import Case
from safehold.core import dates
from safehold.core.errors import ServiceError
from safehold.governance.choices import Decision, RecordType
from safehold.governance.models import (
    LegalHold,
    RetentionDecision,
    RetentionPolicy,
    SubjectAccessRequest,
)
from safehold.governance.rules import can_govern
from safehold.people.models import Person

# The object type audit events use for each record type.
OBJECT_TYPES = {
    RecordType.CASE: "cases.case",
    RecordType.REFERRAL: "cases.referral",
    RecordType.PERSON: "people.person",
    RecordType.LOCATION: "people.location",
}


class GovernanceError(ServiceError):
    """A governance action that the record, its holder or its state does not allow."""


def require_controller(by: User, agency_id) -> None:
    """Only the holding agency's IG officers and administrators act for its records."""
    if not can_govern(by) or by.agency_id != agency_id:
        raise GovernanceError("Only the organisation that holds the record can do this")


# --- Subject access requests -----------------------------------------------------------------


def subject_access_due_on(received_on: datetime.date) -> datetime.date:
    """One calendar month after receipt (UK GDPR Art 12(3)); 31 January is due 28/29 February."""
    return add_months(received_on, 1)


@transaction.atomic
def log_subject_access_request(
    *, person: Person, received_on: datetime.date, requested_by: str, by: User
) -> SubjectAccessRequest:
    """Record a subject access request the day it arrives: the one-month clock starts then."""
    require_controller(by, person.owning_agency_id)
    if received_on > dates.today():
        raise GovernanceError("The date the request was received must be today or in the past")
    request = SubjectAccessRequest.objects.create(
        person=person,
        received_on=received_on,
        due_on=subject_access_due_on(received_on),
        requested_by=requested_by.strip(),
        created_by=by,
    )
    audit.record(
        action=Action.COLLECT,
        actor=by,
        target=request,
        object_ids=[person.pk],
        subjects=[person],
        purpose="subject access request logged",
    )
    return request


@transaction.atomic
def complete_subject_access_request(
    *, request: SubjectAccessRequest, by: User
) -> SubjectAccessRequest:
    """Mark the request answered (the first complete export); later exports change nothing."""
    require_controller(by, request.person.owning_agency_id)
    if request.completed_at is None:
        request.completed_at, request.completed_by = timezone.now(), by
        request.save(update_fields=["completed_at", "completed_by", "modified_at"])
        audit.record(
            action=Action.ALTER,
            actor=by,
            target=request,
            object_ids=[request.person_id],
            subjects=[request.person_id],
            purpose="subject access request completed",
        )
    return request


# --- Legal holds -----------------------------------------------------------------------------


@transaction.atomic
def place_hold(
    *, by: User, reason: str, person: Person | None = None, case: Case | None = None
) -> LegalHold:
    """Stop a person or a case being erased until the hold is lifted. The reason stays on the
    hold; the audit event says only that a hold was placed."""
    if (person is None) == (case is None):
        raise GovernanceError("Place a hold on either a person or a case")
    record = person or case
    require_controller(by, record.owning_agency_id)
    if not reason.strip():
        raise GovernanceError("Enter why the record is being held")
    hold = LegalHold.objects.create(
        person=person, case=case, reason=reason.strip(), placed_by=by, placed_at=timezone.now()
    )
    audit.record(
        action=Action.COLLECT,
        actor=by,
        target=hold,
        object_ids=[record.pk],
        subjects=[person.pk if person else case.subject_id],
        purpose="legal hold placed",
    )
    return hold


@transaction.atomic
def lift_hold(*, hold: LegalHold, by: User, reason: str) -> LegalHold:
    record = hold.record
    require_controller(by, record.owning_agency_id)
    if not hold.is_active:
        raise GovernanceError("This hold has already been lifted")
    hold.lifted_at, hold.lifted_by, hold.lift_reason = timezone.now(), by, reason.strip()
    hold.save(update_fields=["lifted_at", "lifted_by", "lift_reason", "modified_at"])
    audit.record(
        action=Action.ALTER,
        actor=by,
        target=hold,
        object_ids=[record.pk],
        subjects=[hold.person_id or hold.case.subject_id],
        purpose="legal hold lifted",
    )
    return hold


# --- Retention -------------------------------------------------------------------------------


@transaction.atomic
def retain(
    *,
    record_type: str,
    record,
    by: User,
    reason: str,
    next_review_on: datetime.date,
) -> RetentionDecision:
    """Keep a record past its retention period, with a reason, until its next review date (it
    leaves the review queue until then)."""
    agency_id = record.programme.lead_agency_id if record_type == RecordType.REFERRAL else None
    agency_id = agency_id or record.owning_agency_id
    require_controller(by, agency_id)
    if next_review_on <= dates.today():
        raise GovernanceError("The date of the next review must be in the future")
    decision = RetentionDecision.objects.create(
        agency_id=agency_id,
        record_type=record_type,
        record_id=record.pk,
        decision=Decision.RETAIN,
        reason=reason.strip(),
        decided_by=by,
        decided_at=timezone.now(),
        next_review_on=next_review_on,
    )
    audit.record(
        action=Action.ALTER,
        actor=by,
        object_type=OBJECT_TYPES[record_type],
        object_ids=[record.pk, decision.pk],
        subjects=_subjects(record_type, record),
        purpose=f"retention review: retained until {next_review_on.isoformat()}",
    )
    return decision


def _subjects(record_type: str, record) -> list:
    if record_type == RecordType.CASE:
        return [record.subject_id]
    return [record.pk] if record_type == RecordType.PERSON else []


@transaction.atomic
def change_policy(*, policy: RetentionPolicy, period_months: int, by: User) -> RetentionPolicy:
    """Change how long a kind of record is kept (partnership-wide), audited."""
    if not can_govern(by):
        raise GovernanceError("Only information governance officers and administrators can do this")
    if not 1 <= period_months <= 1200:
        raise GovernanceError("The period must be between 1 and 1200 months")
    if policy.period_months != period_months or policy._state.adding:
        before = policy.period_months
        policy.period_months, policy.changed_by = period_months, by
        policy.save()
        audit.record(
            action=Action.ALTER,
            actor=by,
            target=policy,
            purpose=f"retention period for {policy.get_record_type_display().lower()} changed "
            f"from {before} to "
            f"{period_months} months",
        )
    return policy
