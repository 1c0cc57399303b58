"""What an operation hands to the casework, through the casework's own services (one write
path): a safeguarding referral into the triage queue, a closure notice onto a case with its
statutory deadline. Each is linked back to the operation."""

import datetime

from django.db import transaction
from django.utils import timezone

from safehold import audit
from safehold.accounts.models import User
from safehold.audit.choices import Action
from safehold.cases.choices import EnforcementKind, EnforcementStatus
from safehold.cases.models import Case
from safehold.cases.services import enforcement, referrals
from safehold.operations.models import (
    Operation,
    OperationClosureNotice,
    OperationPremises,
    OperationReferral,
)
from safehold.operations.services.errors import OperationError, require_takes_part


def _require_premises_of(operation: Operation, premises: OperationPremises | None) -> None:
    if premises is not None and premises.operation_id != operation.pk:
        raise OperationError("That premises is not a target of this operation")


@transaction.atomic
def raise_referral(
    *,
    operation: Operation,
    by: User,
    premises: OperationPremises | None = None,
    what_was_seen: str,
    urgency: str,
    consent: str,
    subject_given_name: str = "",
    subject_family_name: str = "",
    subject_description: str = "",
    suspected_types: list[str] | None = None,
) -> OperationReferral:
    """A safeguarding referral made during the operation: sent to the triage queue of the
    programme by the casework's referral service, with the premises' address, and linked."""
    require_takes_part(by, operation)
    _require_premises_of(operation, premises)
    if not what_was_seen.strip():
        raise OperationError("Enter what was seen or heard")
    programme = referrals.default_programme()
    if programme is None:
        raise OperationError("There is no programme to send a referral to")
    place = {}
    if premises is not None:
        location = premises.location
        place = {
            "address_line_1": location.address_line_1, "address_line_2": location.address_line_2,
            "town": location.town, "postcode": location.postcode,
        }  # fmt: skip
    referral = referrals.send_referral(
        programme=programme, by=by,
        subject_known=bool(subject_given_name or subject_family_name),
        subject_given_name=subject_given_name, subject_family_name=subject_family_name,
        subject_description=subject_description, what_was_seen=what_was_seen,
        urgency=urgency, consent=consent, suspected_types=suspected_types or [], **place,
    )  # fmt: skip
    link = OperationReferral.objects.create(
        operation=operation, premises=premises, referral=referral
    )
    audit.record(
        action=Action.COLLECT, actor=by, target=link, object_ids=[referral.pk],
        purpose="safeguarding referral raised during an operation",
    )  # fmt: skip
    return link


@transaction.atomic
def serve_closure_notice(
    *,
    operation: Operation,
    by: User,
    case: Case,
    served_at: datetime.datetime,
    premises: OperationPremises | None = None,
) -> OperationClosureNotice:
    """A closure notice served during the operation: the enforcement action on the case (the
    case's service checks the actor may change it; the court hearing falls due 48 hours after
    service) and its link to the operation."""
    require_takes_part(by, operation)
    _require_premises_of(operation, premises)
    if served_at > timezone.now():
        raise OperationError("The time the notice was served must be in the past")
    action = enforcement.add_enforcement(
        case=case, by=by, kind=EnforcementKind.CLOSURE_NOTICE, status=EnforcementStatus.IN_FORCE,
        agency=by.agency, started_on=timezone.localdate(served_at), served_at=served_at,
        notes=f"Served during operation {operation.name}",
    )  # fmt: skip
    link = OperationClosureNotice.objects.create(
        operation=operation, premises=premises, action=action
    )
    audit.record(
        action=Action.COLLECT, actor=by, target=link, object_ids=[case.pk],
        subjects=[case.subject_id], purpose="closure notice served during an operation",
    )  # fmt: skip
    return link
