"""The programme evaluation and cost-benefit report (issue 5), as a pure function of a queryset.

Everything is counted in the database with a fixed number of queries whatever the number of
cases (aggregate with filtered counts, values().annotate() for each table, Exists for the
outcome measures); only the days from referral to closure come back as one list of numbers, to
take the median and the 90th percentile. The counting rules are COUNTING_RULES, shown on the
report itself; docs/formats/evaluation-report.md describes every figure.
"""

import datetime
import math
import statistics
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DateField, Exists, Func, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import TruncMonth
from django.utils import timezone

from safehold.cases.choices import (
    OUTCOME_ENFORCEMENT,
    OUTCOME_INTERVENTIONS,
    ClosureReason,
    EntryKind,
    ExploitationType,
    OutcomeMeasure,
)
from safehold.cases.models import Case, ChronologyEntry, EnforcementAction, Intervention

PENNY = Decimal("0.01")
NOT_RECORDED = "Not recorded"
# Re-referral windows, in months, and how many days each means (a fixed number of days, so the
# rule is the same in every database and in every month: 3 months = 91 days, 6 = 182, 12 = 365).
RE_REFERRAL_DAYS = {3: 91, 6: 182, 12: 365}
NO_CONTACT_DAYS = 28
CONTACT_KINDS = [
    EntryKind.VISIT,
    EntryKind.PHONE,
    EntryKind.TEXT,
    EntryKind.CUSTODY_VISIT,
    EntryKind.NOTE,
]

COUNTING_RULES = [
    "A case belongs to the period when its referral date falls in it (both ends included).",
    "It counts under its closure reason when its closed date is on or before the period's end; "
    "otherwise it is ongoing.",
    "Referral source, type of exploitation (the case's main type), area and the outcome "
    "measures count the cases of the period whatever their status. A case counts once under "
    "each outcome measure for which it has any of that measure's interventions or enforcement "
    "actions, so a case can count under several.",
    "“No longer exploited” is positively resolved plus moved for safety: the published report's "
    "“positively resolved” figure counted cases moved for safety among them.",
    "Tenancies sustained counts the cases of the period whose tenancy was sustained. Saving = "
    "tenancies sustained x average void cost - cost of the service, rounded to the penny "
    "(half up).",
    "Repeat referrals: people who are the subject of two or more cases of the period.",
    "Days to closure: from referral date to closed date, for the cases of the period closed by "
    "its end. The median is the middle value (the mean of the two middle values when there is "
    "an even number); the 90th percentile is the smallest value that at least 90% of the cases "
    "are at or below (nearest rank).",
    "Re-referral within 3, 6 or 12 months (91, 182 or 365 days): cases of the period whose "
    "subject had another case closed on or before this case's referral date and at most that "
    "many days before it.",
    "Open with no recent contact: cases of the period still ongoing at its end with no visit, "
    "phone call, text, custody visit or note in the 28 days up to and including its end.",
]


@dataclass(frozen=True)
class Row:
    """One line of a report table: what is counted, and how many cases."""

    label: str
    cases: int


@dataclass
class EvaluationReport:
    """The figures of the evaluation report for one period (all counts are of cases)."""

    date_from: datetime.date
    date_to: datetime.date
    cases_received: int
    by_source: list[Row]
    by_type: list[Row]
    by_area: list[Row]
    by_month: list[Row]
    positively_resolved: int
    moved: int
    no_engagement: int
    no_exploitation: int
    other_closed: int
    ongoing: int
    outcome_measures: list[Row]
    tenancies_sustained: int
    average_void_cost: Decimal | None
    service_cost: Decimal | None
    repeat_referral_people: int
    repeat_referral_cases: int
    closed_in_period: int
    median_days_to_closure: Decimal | None
    p90_days_to_closure: int | None
    re_referrals: dict[int, int]
    open_without_recent_contact: int
    counting_rules: list[str] = field(default_factory=lambda: list(COUNTING_RULES))

    @property
    def no_longer_exploited(self) -> int:
        """The published headline: positively resolved, counting those moved for safety."""
        return self.positively_resolved + self.moved

    @property
    def outcome_rows(self) -> list[Row]:
        return [
            Row("Positively resolved", self.positively_resolved),
            Row("Moved for safety", self.moved),
            Row("Refused to engage (passed to the ASB team)", self.no_engagement),
            Row("No exploitation found", self.no_exploitation),
            Row("Closed for another reason", self.other_closed),
            Row("Ongoing", self.ongoing),
        ]

    @property
    def has_costs(self) -> bool:
        return self.average_void_cost is not None and self.service_cost is not None

    @property
    def gross_saving(self) -> Decimal | None:
        """Tenancies sustained x average void cost, unrounded."""
        if not self.has_costs:
            return None
        return self.tenancies_sustained * self.average_void_cost

    @property
    def saving(self) -> Decimal | None:
        """Tenancies sustained x average void cost - service cost, to the penny (half up)."""
        if not self.has_costs:
            return None
        return saving(self.tenancies_sustained, self.average_void_cost, self.service_cost)


def saving(tenancies: int, average_void_cost: Decimal, service_cost: Decimal) -> Decimal:
    return (tenancies * average_void_cost - service_cost).quantize(PENNY, ROUND_HALF_UP)


def _measure_exists(measure: OutcomeMeasure) -> list[Exists]:
    """Whether a case has any intervention or enforcement action in the measure's list."""
    parts = []
    if measure in OUTCOME_INTERVENTIONS:
        parts.append(
            Exists(
                Intervention.objects.filter(
                    case=OuterRef("pk"), type_id__in=OUTCOME_INTERVENTIONS[measure]
                )
            )
        )
    if measure in OUTCOME_ENFORCEMENT:
        parts.append(
            Exists(
                EnforcementAction.objects.filter(
                    case=OuterRef("pk"), kind__in=[str(k) for k in OUTCOME_ENFORCEMENT[measure]]
                )
            )
        )
    return parts


def _rows(queryset, key: str, label=None) -> list[Row]:
    """Cases grouped by one column, most first then by name; an empty key is "Not recorded"."""
    counted = queryset.order_by().values(key).annotate(n=Count("pk")).values_list(key, "n")
    rows = [Row(label(value) if label else (value or NOT_RECORDED), n) for value, n in counted]
    return sorted(rows, key=lambda row: (-row.cases, row.label))


def _day_range_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def evaluation_report(
    cases: QuerySet[Case],
    *,
    date_from: datetime.date,
    date_to: datetime.date,
    average_void_cost: Decimal | None,
    service_cost: Decimal | None,
) -> EvaluationReport:
    """The report over `cases` (already limited to what the reader may see) for the period."""
    everything = cases.order_by()
    period = everything.filter(referral_date__gte=date_from, referral_date__lte=date_to)
    closed_by_end = Q(closed_on__isnull=False, closed_on__lte=date_to) & ~Q(closure_reason="")

    annotations = {}
    for measure in OutcomeMeasure:
        for i, exists in enumerate(_measure_exists(measure)):
            annotations[f"m_{measure.value}_{i}"] = exists
    for months, days in RE_REFERRAL_DAYS.items():
        annotations[f"rr_{months}"] = _re_referral_exists(everything, days)
    window_start = _day_range_start(date_to - datetime.timedelta(days=NO_CONTACT_DAYS - 1))
    window_end = _day_range_start(date_to + datetime.timedelta(days=1))
    annotations["recent_contact"] = Exists(
        ChronologyEntry.objects.filter(
            case=OuterRef("pk"),
            kind__in=[str(k) for k in CONTACT_KINDS],
            occurred_at__gte=window_start,
            occurred_at__lt=window_end,
        )
    )

    counts = {
        "received": Count("pk"),
        "ongoing": Count("pk", filter=~closed_by_end),
        "tenancies": Count("pk", filter=Q(tenancy_sustained=True)),
        "no_contact": Count("pk", filter=~closed_by_end & Q(recent_contact=False)),
    }
    for reason in ClosureReason:
        counts[f"closed_{reason.value}"] = Count(
            "pk", filter=closed_by_end & Q(closure_reason=reason.value)
        )
    for measure in OutcomeMeasure:
        has = Q()
        for name in annotations:
            if name.startswith(f"m_{measure.value}_"):
                has |= Q(**{name: True})
        counts[f"measure_{measure.value}"] = Count("pk", filter=has)
    for months in RE_REFERRAL_DAYS:
        counts[f"re_referred_{months}"] = Count("pk", filter=Q(**{f"rr_{months}": True}))
    totals = period.annotate(**annotations).aggregate(**counts)

    repeats = (
        period.values("subject")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .aggregate(people=Count("subject"), cases=Sum("n"))
    )
    durations = sorted(
        (closed - referred).days
        for referred, closed in period.filter(closed_by_end).values_list(
            "referral_date", "closed_on"
        )
    )
    months = (
        period.annotate(month=TruncMonth("referral_date"))
        .values_list("month")
        .annotate(n=Count("pk"))
    )
    by_month = [Row(_month(month), n) for month, n in sorted(months.values_list("month", "n"))]

    return EvaluationReport(
        date_from=date_from,
        date_to=date_to,
        cases_received=totals["received"],
        by_source=_rows(period, "referral_source__name"),
        by_type=_rows(period, "exploitation_type", _type_label),
        by_area=_rows(period, "area__name"),
        by_month=by_month,
        positively_resolved=totals["closed_positively_resolved"],
        moved=totals["closed_moved"],
        no_engagement=totals["closed_no_engagement"],
        no_exploitation=totals["closed_no_exploitation"],
        other_closed=totals["closed_other"],
        ongoing=totals["ongoing"],
        outcome_measures=[Row(m.label, totals[f"measure_{m.value}"]) for m in OutcomeMeasure],
        tenancies_sustained=totals["tenancies"],
        average_void_cost=average_void_cost,
        service_cost=service_cost,
        repeat_referral_people=repeats["people"] or 0,
        repeat_referral_cases=repeats["cases"] or 0,
        closed_in_period=len(durations),
        median_days_to_closure=(Decimal(str(statistics.median(durations))) if durations else None),
        p90_days_to_closure=(durations[math.ceil(0.9 * len(durations)) - 1] if durations else None),
        re_referrals={months: totals[f"re_referred_{months}"] for months in RE_REFERRAL_DAYS},
        open_without_recent_contact=totals["no_contact"],
    )


class DaysBefore(Func):
    """A date column minus a whole number of days, as a date, in SQLite and PostgreSQL alike
    (Django's date - timedelta gives a timestamp on both, which compares wrongly on SQLite)."""

    output_field = DateField()

    def __init__(self, expression, days: int):
        super().__init__(expression, Value(int(days)))

    def as_sqlite(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        days = int(self.source_expressions[1].value)
        return f"date({column}, '-{days} days')", params

    def as_postgresql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        days = int(self.source_expressions[1].value)
        return f"({column} - {days})", params


def _re_referral_exists(everything: QuerySet[Case], days: int) -> Exists:
    """Another case of the same subject, closed on or before this case's referral date and at
    most `days` days before it."""
    return Exists(
        everything.filter(
            subject=OuterRef("subject"),
            closed_on__isnull=False,
            closed_on__lte=OuterRef("referral_date"),
            closed_on__gte=DaysBefore(OuterRef("referral_date"), days),
        ).exclude(pk=OuterRef("pk"))
    )


def _type_label(value: str) -> str:
    return ExploitationType(value).label if value in ExploitationType.values else value


def _month(value) -> str:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value[:10])
    return value.strftime("%B %Y")
