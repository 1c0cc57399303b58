"""What the operation pages share: fetching one operation through its gate."""

from django.core.exceptions import PermissionDenied

from safehold.core.visibility import get_visible_or_404
from safehold.operations import rules
from safehold.operations.selectors import operations_visible_to


def visible_operation(request, pk):
    return get_visible_or_404(operations_visible_to(request.user), pk=pk)


def operation_taken_part_in(request, pk):
    """An operation the user records on: their agency leads it or takes part (else 404)."""
    operation = visible_operation(request, pk)
    if not rules.can_record(request.user):
        raise PermissionDenied  # on a record URL: a 404 for them (ADR 0027)
    return operation


def operation_led(request, pk):
    operation = visible_operation(request, pk)
    if not (rules.can_plan(request.user) and rules.leads(request.user, operation)):
        raise PermissionDenied
    return operation


def premises_choices(premises) -> list[tuple[str, str]]:
    """The premises to pick from (`selectors.premises_of`), by address where the user may see
    it."""
    return [
        (
            str(row.pk),
            location.one_line if location else f"Premises {n} (address not shared with you)",
        )
        for n, (row, location) in enumerate(premises, start=1)
    ]


def chosen_premises(operation, value):
    if not value:
        return None
    return operation.premises.filter(pk=value).select_related("location").first()
