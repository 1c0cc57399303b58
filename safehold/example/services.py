"""Every write of a visit: atomic, checked against its actor, audited in the same transaction."""

import datetime

from django.db import transaction

from safehold import audit
from safehold.accounts.models import User
from safehold.audit.choices import Action
from safehold.cases.models import Case
from safehold.cases.services.cases import require_may_change
from safehold.core.dates import today
from safehold.core.errors import ServiceError
from safehold.example.choices import Outcome
from safehold.example.models import Visit


class VisitError(ServiceError):
    """A visit that cannot be recorded as given (a 400 with this message, page or API)."""


@transaction.atomic
def record_visit(
    *, case: Case, visited_on: datetime.date, outcome: str, note: str = "", by: User
) -> Visit:
    require_may_change(by, case)  # NotPermitted (404) for anyone but the case's holder
    if visited_on > today():
        raise VisitError("The date of the visit must be today or in the past")
    if outcome not in Outcome.values:
        raise VisitError("Select what happened on the visit")
    visit = Visit.objects.create(
        case=case,
        owning_agency=case.owning_agency,
        visited_on=visited_on,
        outcome=outcome,
        note=note,
        recorded_by=by,
    )
    # The purpose names what was done, never a value typed in (ADR 0025).
    audit.record(
        action=Action.COLLECT,
        actor=by,
        target=visit,
        subjects=[case.subject_id],
        purpose="visit recorded",
    )
    return visit
