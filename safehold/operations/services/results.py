"""Recording an operation's results: counts, arrests with their offences, drugs seized."""

from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction

from safehold import audit
from safehold.accounts.models import User
from safehold.audit.choices import Action
from safehold.operations.choices import DrugUnit
from safehold.operations.models import (
    Arrest,
    DrugSeizure,
    Operation,
    OperationPremises,
    OperationResult,
)
from safehold.operations.services.errors import OperationError, require_takes_part

# The counts a result holds, in the order the pages, files and summaries show them.
COUNTS = (
    "warrants_executed", "phones_seized", "weapons_seized", "other_items_seized",
    "safeguarding_referrals", "vulnerable_residents_found", "closure_notices_served",
    "closure_orders_made", "letters_delivered", "doors_knocked",
)  # fmt: skip


def check_counts(counts: dict) -> None:
    unknown = set(counts) - set(COUNTS)
    if unknown:
        raise TypeError(f"unknown counts: {', '.join(sorted(unknown))}")
    for name, value in counts.items():
        if not isinstance(value, int) or value < 0:
            raise OperationError(f"The {name.replace('_', ' ')} must be a whole number, 0 or more")


def check_drugs(drugs: Iterable[tuple[str, Decimal, str]]) -> list[tuple[str, Decimal, str]]:
    checked = []
    for drug, quantity, unit in drugs:
        if not drug.strip():
            raise OperationError("Enter the type of drug seized")
        if quantity is None or quantity <= 0:
            raise OperationError("The quantity of drugs seized must be more than 0")
        if unit not in DrugUnit.values:
            raise OperationError("Select the unit of the quantity of drugs")
        checked.append((drug.strip(), quantity, unit))
    return checked


@transaction.atomic
def record_results(
    *,
    operation: Operation,
    by: User | None,
    premises: OperationPremises | None = None,
    offences: Iterable[str] = (),
    drugs: Iterable[tuple[str, Decimal, str]] = (),
    cash_seized: Decimal = Decimal("0"),
    other_items_description: str = "",
    **counts: int,
) -> OperationResult:
    """Record what happened at a premises of the operation (or, without one, for the whole
    operation); any agency taking part may."""
    require_takes_part(by, operation)
    if premises is not None and premises.operation_id != operation.pk:
        raise OperationError("That premises is not a target of this operation")
    check_counts(counts)
    if cash_seized is None or cash_seized < 0:
        raise OperationError("The cash seized must be an amount in pounds, 0 or more")
    offences = [o.strip() for o in offences if o.strip()]
    drugs = check_drugs(drugs)
    result = OperationResult.objects.create(
        operation=operation, premises=premises, recorded_by=by, cash_seized=cash_seized,
        other_items_description=other_items_description.strip(), **counts,
    )  # fmt: skip
    Arrest.objects.bulk_create(Arrest(result=result, offence=o) for o in offences)
    DrugSeizure.objects.bulk_create(
        DrugSeizure(result=result, drug=d, quantity=q, unit=u) for d, q, u in drugs
    )
    audit.record(
        action=Action.COLLECT, actor=by, target=result,
        object_ids=[premises.location_id] if premises else [],
        purpose="operation results recorded",
    )  # fmt: skip
    return result
