"""A chronology source of the bundle: what multi-agency operations found at the premises.

Each recording of results at the premises (warrants executed, arrests with their offences,
drugs, cash and other items seized, closure notices served, vulnerable residents found) is one
line, dated by the operation's day. Read through `operations_visible_to` for the user building
the bundle (everything for the operator on the command line), so a bundle holds no operation the
builder's agency neither led nor took part in. Lines name no person: counts, offences, items.
"""

from django.db.models import Prefetch

from safehold.enforcement.sources import BundleContext, BundleLine
from safehold.operations.models import Arrest, DrugSeizure, Operation, OperationResult
from safehold.operations.selectors import operations_visible_to


def _operations(user):
    return Operation.objects.all() if user is None else operations_visible_to(user)


def _what(result: OperationResult) -> str:
    parts = []

    def count(n, one, many=None):
        if n:
            parts.append(f"{n} {one if n == 1 else (many or one + 's')}")

    count(result.warrants_executed, "warrant executed", "warrants executed")
    arrests = [a.offence for a in result.arrests.all()]
    if arrests:
        parts.append(
            f"{len(arrests)} arrest{'s' if len(arrests) > 1 else ''} ({'; '.join(arrests)})"
        )
    drugs = [str(d) for d in result.drug_seizures.all()]
    if drugs:
        parts.append("drugs seized: " + "; ".join(drugs))
    if result.cash_seized:
        parts.append(f"£{result.cash_seized:,.2f} cash seized")
    count(result.phones_seized, "phone seized", "phones seized")
    count(result.weapons_seized, "weapon seized", "weapons seized")
    if result.other_items_seized:
        other = f"{result.other_items_seized} other item{'s' if result.other_items_seized > 1 else ''} seized"
        parts.append(
            other
            + (f" ({result.other_items_description})" if result.other_items_description else "")
        )
    count(
        result.vulnerable_residents_found, "vulnerable resident found", "vulnerable residents found"
    )
    count(result.closure_notices_served, "closure notice served", "closure notices served")
    count(result.closure_orders_made, "closure order made", "closure orders made")
    return "; ".join(parts) or "Results recorded, nothing found"


def results_at_premises(context: BundleContext) -> list[BundleLine]:
    """Results recorded at the bundle's premises by operations in the period."""
    if context.premises is None:
        return []
    results = (
        OperationResult.objects.filter(
            operation__in=_operations(context.user),
            premises__location=context.premises,
            operation__starts_at__date__gte=context.start,
            operation__starts_at__date__lte=context.end,
        )
        .select_related("operation", "operation__owning_agency")
        .prefetch_related(
            Prefetch("arrests", queryset=Arrest.objects.order_by("created_at")),
            Prefetch("drug_seizures", queryset=DrugSeizure.objects.order_by("drug")),
        )
        .order_by("operation__starts_at", "created_at")
    )
    return [
        BundleLine(
            occurred_at=r.operation.starts_at,
            source=f"Operation ({r.operation.owning_agency.name})",
            reference=f"{r.operation.name}, {r.operation.get_kind_display().lower()}",
            summary=_what(r),
            object_ids=(r.operation_id, r.pk),
        )
        for r in results
    ]
