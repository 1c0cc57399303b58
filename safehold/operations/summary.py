"""The results summary for any period and area: the totals of the operations counted, the
same for the page, its CSV/XLSX, the command line's csv/json and the API (ADR 0041).

Every total is a sum over rows (results, arrests, seizures, linked referrals and closure
notices) of the operations that started in the period, in a fixed number of queries."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from safehold.core.dates import today
from safehold.operations.models import (
    Arrest,
    DrugSeizure,
    Operation,
    OperationClosureNotice,
    OperationReferral,
    OperationResult,
)

# The plain keys of a summary, in the order every format shows them, with their labels.
KEYS = (
    ("operations", "Operations"),
    ("warrants_executed", "Warrants executed"),
    ("arrests", "Arrests"),
    ("drug_seizures", "Drug seizures"),
    ("cash_seized", "Cash seized (£)"),
    ("phones_seized", "Phones seized"),
    ("weapons_seized", "Weapons seized"),
    ("other_items_seized", "Other items seized"),
    ("safeguarding_referrals", "Safeguarding referrals"),
    ("vulnerable_residents_found", "Vulnerable residents found"),
    ("closure_notices", "Closure notices served"),
    ("closure_orders", "Closure orders"),
    ("letters_delivered", "Letters delivered"),
    ("doors_knocked", "Doors knocked"),
)
_SUMMED = (
    "warrants_executed", "phones_seized", "weapons_seized", "other_items_seized",
    "vulnerable_residents_found", "letters_delivered", "doors_knocked",
)  # fmt: skip


@dataclass
class Summary:
    start: datetime.date
    end: datetime.date
    area: str
    totals: dict = field(default_factory=dict)
    # (drug, unit, quantity) summed, by drug and unit.
    drugs: list[tuple[str, str, Decimal]] = field(default_factory=list)

    def as_dict(self) -> dict:
        """The JSON document: plain keys, money as a string of pounds and pence."""
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "area": self.area or None,
            **{k: (f"{v:.2f}" if k == "cash_seized" else v) for k, v in self.totals.items()},
            "drugs": [
                {"drug": d, "unit": u, "quantity": f"{q.normalize():f}"} for d, u, q in self.drugs
            ],
        }

    def rows(self) -> list[tuple[str, str, object]]:
        """(key, label, value) in order, for the page, the CSV and the XLSX."""
        return [(key, label, self.totals[key]) for key, label in KEYS]

    def paragraph(self) -> str:
        """A short paragraph for a press release or the board."""
        return paragraph(self)


def default_period() -> tuple[datetime.date, datetime.date]:
    """The last 12 months to today."""
    end = today()
    return end - datetime.timedelta(days=364), end


def in_period(operations: QuerySet[Operation], start, end, area: str = "") -> QuerySet:
    """The operations that started from `start` to `end` (UK dates, both included), in `area`
    (a ward or LSOA code) if given."""
    tz = timezone.get_current_timezone()
    # The first and last days of the calendar have no instant on the other side of UTC.
    chosen = operations
    if start > datetime.date.min:
        chosen = chosen.filter(
            starts_at__gte=datetime.datetime.combine(start, datetime.time(), tzinfo=tz)
        )
    if end < datetime.date.max - datetime.timedelta(days=1):
        day_after = end + datetime.timedelta(days=1)
        chosen = chosen.filter(
            starts_at__lt=datetime.datetime.combine(day_after, datetime.time(), tzinfo=tz)
        )
    if area:
        chosen = chosen.filter(Q(ward_id=area) | Q(lsoa_id=area) | Q(lsoa__ward_id=area))
    return chosen


def summarise(
    operations: QuerySet[Operation], *, start: datetime.date, end: datetime.date, area: str = ""
) -> Summary:
    """The totals of `operations` (already through a read gate) in the period and area."""
    ids = in_period(operations, start, end, area).values("pk")
    sums = OperationResult.objects.filter(operation__in=ids).aggregate(
        cash=Sum("cash_seized"),
        referrals=Sum("safeguarding_referrals"),
        notices=Sum("closure_notices_served"),
        orders=Sum("closure_orders_made"),
        **{name: Sum(name) for name in _SUMMED},
    )
    totals = {
        "operations": Operation.objects.filter(pk__in=ids).count(),
        "warrants_executed": sums["warrants_executed"] or 0,
        "arrests": Arrest.objects.filter(result__operation__in=ids).count(),
        "drug_seizures": DrugSeizure.objects.filter(result__operation__in=ids).count(),
        "cash_seized": (sums["cash"] or Decimal("0")).quantize(Decimal("0.01")),
        "safeguarding_referrals": (sums["referrals"] or 0)
        + OperationReferral.objects.filter(operation__in=ids).count(),
        "closure_notices": (sums["notices"] or 0)
        + OperationClosureNotice.objects.filter(operation__in=ids).count(),
        "closure_orders": sums["orders"] or 0,
    }
    for name in _SUMMED:
        totals.setdefault(name, sums[name] or 0)
    totals = {key: totals[key] for key, _ in KEYS}
    drugs = (
        DrugSeizure.objects.filter(result__operation__in=ids)
        .values("drug", "unit")
        .annotate(total=Sum("quantity"), n=Count("pk"))
        .order_by("drug", "unit")
    )
    return Summary(
        start=start, end=end, area=area, totals=totals,
        drugs=[(d["drug"], d["unit"], d["total"]) for d in drugs],
    )  # fmt: skip


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def _day(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def paragraph(summary: Summary) -> str:
    """ "Since 1 May 2023: 31 arrests, 7 safeguarding referrals, 38 closure orders, …"."""
    t = summary.totals
    if summary.end >= today():
        when = f"Since {_day(summary.start)}"
    else:
        when = f"From {_day(summary.start)} to {_day(summary.end)}"
    parts = [
        _count(t["arrests"], "arrest", "arrests"),
        _count(t["safeguarding_referrals"], "safeguarding referral", "safeguarding referrals"),
        _count(t["closure_orders"], "closure order", "closure orders"),
    ]
    optional = [
        (t["warrants_executed"], "warrant executed", "warrants executed"),
        (t["closure_notices"], "closure notice served", "closure notices served"),
        (
            t["vulnerable_residents_found"],
            "vulnerable resident found",
            "vulnerable residents found",
        ),
        (t["drug_seizures"], "seizure of drugs", "seizures of drugs"),
        (t["phones_seized"], "phone seized", "phones seized"),
        (t["weapons_seized"], "weapon seized", "weapons seized"),
        (t["doors_knocked"], "door knocked", "doors knocked"),
        (t["letters_delivered"], "reassurance letter delivered", "reassurance letters delivered"),
    ]
    parts += [_count(n, one, many) for n, one, many in optional if n]
    if t["cash_seized"]:
        parts.append(f"£{t['cash_seized']:,.2f} in cash seized")
    where = f" in {summary.area}" if summary.area else ""
    operations = _count(t["operations"], "operation", "operations")
    return f"{when}{where}: {', '.join(parts)} ({operations} of the partnership)."
