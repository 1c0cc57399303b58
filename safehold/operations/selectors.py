"""The read gates of operations: every page, export, summary and API read starts here."""

from django.db.models import Prefetch, Q, QuerySet

from safehold.operations import rules
from safehold.operations.models import (
    Operation,
    OperationPartner,
    OperationPremises,
    OperationResult,
    PersonOfInterest,
)
from safehold.people.selectors import locations_visible_to, people_visible_to


def _taking_part(agency_id) -> Q:
    partners = OperationPartner.objects.filter(agency_id=agency_id).values("operation_id")
    return Q(owning_agency_id=agency_id) | Q(pk__in=partners)


def operations_visible_to(user) -> QuerySet[Operation]:
    """Operations the user's agency leads or takes part in, for the casework roles."""
    if not rules.can_see(user):
        return Operation.objects.none()
    return Operation.objects.filter(_taking_part(user.agency_id)).select_related(
        "owning_agency", "ward", "lsoa"
    )


def operations_counted_for(user) -> QuerySet[Operation]:
    """The operations a user's results summary counts: those their agency leads or takes part
    in, for every role that sees reports (the summary shows counts, never names)."""
    if not rules.can_see_summary(user):
        return Operation.objects.none()
    return Operation.objects.filter(_taking_part(user.agency_id))


def operation_list(user) -> QuerySet[Operation]:
    """The operations list: what it shows fetched in a fixed number of queries."""
    return operations_visible_to(user).prefetch_related(
        Prefetch("partners", queryset=OperationPartner.objects.select_related("agency"))
    )


def premises_of(user, operation: Operation) -> list[tuple[OperationPremises, object]]:
    """The operation's premises, each with its Location when the user may see it (None: held
    by an agency that has not shared it with the user's)."""
    visible = {loc.pk: loc for loc in locations_visible_to(user).filter(
        pk__in=operation.premises.values("location_id")
    )}  # fmt: skip
    return [(p, visible.get(p.location_id)) for p in operation.premises.all()]


def people_of_interest_of(user, operation: Operation) -> tuple[list, int]:
    """The people of interest the user may see, and how many others the operation names."""
    rows = list(operation.people_of_interest.all())
    visible = list(
        people_visible_to(user)
        .filter(pk__in=[r.person_id for r in rows])
        .order_by("family_name", "given_name")
    )
    return visible, len(rows) - len(visible)


def results_of(operation: Operation) -> QuerySet[OperationResult]:
    return operation.results.select_related("premises", "recorded_by").prefetch_related(
        "arrests", "drug_seizures"
    )


def people_rows(operation: Operation) -> QuerySet[PersonOfInterest]:
    return operation.people_of_interest.all()
