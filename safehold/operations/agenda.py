"""The meeting agenda's section "Operations since the last meeting" (ADR 0041, 0042): each
operation the user's agency led or took part in, from the day after the series' previous
meeting to the meeting's day, with its results in a line. One query whatever the number of
operations (each total a subquery, so no join multiplies another)."""

from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from safehold.meetings.agenda import Line, since
from safehold.operations.models import (
    Arrest,
    OperationClosureNotice,
    OperationReferral,
    OperationResult,
)
from safehold.operations.selectors import operations_visible_to


def _per_operation(queryset, value, via="operation"):
    """A subquery giving `value` of `queryset`'s rows of each operation (0 when none); `via` is
    the path from a row to its operation."""
    return Coalesce(
        Subquery(
            queryset.filter(**{via: OuterRef("pk")})
            .order_by()
            .values(via)
            .annotate(total=value)
            .values("total"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def _sum(field):
    return _per_operation(OperationResult.objects, Sum(field))


def _count(model):
    return _per_operation(model.objects, Count("pk"))


def _arrests():
    return _per_operation(Arrest.objects, Count("pk"), via="result__operation")


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def operations_since_last_meeting(meeting, user) -> list[Line]:
    start = since(meeting)
    operations = (
        operations_visible_to(user)
        .filter(starts_at__date__gte=start, starts_at__date__lte=meeting.held_on)
        .annotate(
            n_warrants=_sum("warrants_executed"),
            n_arrests=_arrests(),
            n_referrals=_sum("safeguarding_referrals"),
            n_referrals_made=_count(OperationReferral),
            n_notices=_sum("closure_notices_served"),
            n_notices_made=_count(OperationClosureNotice),
            n_orders=_sum("closure_orders_made"),
        )
        .order_by("starts_at", "name")
    )
    lines = []
    for operation in operations:
        results = [
            _plural(operation.n_warrants, "warrant executed", "warrants executed"),
            _plural(operation.n_arrests, "arrest", "arrests"),
            _plural(
                operation.n_referrals + operation.n_referrals_made,
                "safeguarding referral",
                "safeguarding referrals",
            ),
            _plural(
                operation.n_notices + operation.n_notices_made,
                "closure notice served",
                "closure notices served",
            ),
            _plural(operation.n_orders, "closure order", "closure orders"),
        ]
        lines.append(
            Line(
                text=operation.name,
                reference=operation.get_kind_display(),
                link=reverse("operations:detail", args=[operation.pk]),
                day=timezone.localdate(operation.starts_at),
                detail=f"Led by {operation.owning_agency.name}: " + ", ".join(results),
                records=(operation,),
            )
        )
    return lines
