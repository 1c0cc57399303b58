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

from django.db.models import CharField, Count, Q, QuerySet
from django.db.models.functions import Cast, Substr
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
from safehold.reports.choices import SavingRounding
from safehold.reports.repeats import DaysBetween, repeat_referral_counts, repeats

PENNY = Decimal("0.01")
POUND = Decimal("1")
NOT_RECORDED = "Not recorded"
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
    "Positively resolved counts the cases closed with the victim no longer exploited: those "
    "closed as positively resolved and those moved for safety (a move was how those victims "
    "stopped being exploited; the published 129 counts the 11 moved among them). Moved for "
    "safety is shown again on its own.",
    "Tenancies sustained counts the cases of the period whose tenancy was sustained. Saving = "
    "tenancies sustained x average void cost - cost of the service, rounded half up to the "
    "penny, or to the nearest pound where the programme's settings say so (as the published "
    "evaluation shows it).",
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
    by_ward: list[Row]
    resolved_in_place: int  # closed as positively resolved (not moved)
    moved: int
    no_engagement: int
    no_exploitation: int
    other_closed: int
    ongoing: int
    outcome_measures: list[Row]
    tenancies_sustained: int
    average_void_cost: Decimal | None
    service_cost: Decimal | None
    saving_rounding: str
    repeat_referral_people: int
    repeat_referral_cases: int
    closed_in_period: int
    median_days_to_closure: Decimal | None
    p90_days_to_closure: int | None
    re_referrals: dict[int, int]
    open_without_recent_contact: int
    counting_rules: list[str] = field(default_factory=lambda: list(COUNTING_RULES))

    @property
    def positively_resolved(self) -> int:
        """Victims no longer exploited: positively resolved, counting those moved for safety."""
        return self.resolved_in_place + self.moved

    @property
    def outcome_rows(self) -> list[Row]:
        return [
            Row("Positively resolved (victim no longer exploited)", self.positively_resolved),
            Row("of which moved for safety", self.moved),
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
    def unrounded_saving(self) -> Decimal | None:
        if not self.has_costs:
            return None
        return self.gross_saving - self.service_cost

    @property
    def saving(self) -> Decimal | None:
        """Tenancies sustained x average void cost - service cost, rounded half up to the
        penny or, where the settings say so, to the nearest pound."""
        if not self.has_costs:
            return None
        return saving(
            self.tenancies_sustained,
            self.average_void_cost,
            self.service_cost,
            rounding=self.saving_rounding,
        )


def saving(
    tenancies: int,
    average_void_cost: Decimal,
    service_cost: Decimal,
    *,
    rounding: str = SavingRounding.PENNY,
) -> Decimal:
    exact = tenancies * average_void_cost - service_cost
    if rounding == SavingRounding.POUND:
        return exact.quantize(POUND, ROUND_HALF_UP).quantize(PENNY)
    return exact.quantize(PENNY, ROUND_HALF_UP)


def _measure_counts(period: QuerySet[Case]) -> dict[OutcomeMeasure, int]:
    """Cases of the period with any intervention or enforcement action in each measure's list.

    Two queries: one pass over the period's interventions and one over its enforcement
    actions, each counting distinct cases per measure (never a subquery per case). A measure
    drawn from both interventions and enforcement is counted over their union.
    """
    ids = period.values("pk")
    interventions = Intervention.objects.filter(case__in=ids)
    enforcement = EnforcementAction.objects.filter(case__in=ids)
    counts = interventions.aggregate(**{
        m.value: Count("case_id", distinct=True, filter=Q(type_id__in=types))
        for m, types in OUTCOME_INTERVENTIONS.items() if m not in OUTCOME_ENFORCEMENT
    }) | enforcement.aggregate(**{
        m.value: Count("case_id", distinct=True, filter=Q(kind__in=[str(k) for k in kinds]))
        for m, kinds in OUTCOME_ENFORCEMENT.items() if m not in OUTCOME_INTERVENTIONS
    })  # fmt: skip
    for measure in set(OUTCOME_INTERVENTIONS) & set(OUTCOME_ENFORCEMENT):
        both = (
            interventions.filter(type_id__in=OUTCOME_INTERVENTIONS[measure])
            .values("case_id")
            .order_by()
        )
        kinds = [str(k) for k in OUTCOME_ENFORCEMENT[measure]]
        other = enforcement.filter(kind__in=kinds).values("case_id").order_by()
        counts[measure.value] = both.union(other).count()
    return {measure: counts.get(measure.value) or 0 for measure in OutcomeMeasure}


def _rows(queryset, key: str, label=None) -> list[Row]:
    """Cases grouped by one column, most first then by name; an empty key is "Not recorded"."""
    counted = queryset.order_by().values(key).annotate(n=Count("pk")).values_list(key, "n")
    rows = [Row(label(value) if label else (value or NOT_RECORDED), n) for value, n in counted]
    return sorted(rows, key=lambda row: (-row.cases, row.label))


def _day_range_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _period(
    cases: QuerySet[Case], date_from: datetime.date, date_to: datetime.date
) -> tuple[QuerySet[Case], Q]:
    """The cases referred in the period, and what "closed by its end" means (rules 1 and 2)."""
    period = cases.filter(referral_date__gte=date_from, referral_date__lte=date_to)
    return period, Q(closed_on__isnull=False, closed_on__lte=date_to) & ~Q(closure_reason="")


def _headline_totals(period: QuerySet[Case], closed_by_end: Q) -> dict:
    """Cases received, ongoing, tenancies sustained and each closure reason: one aggregate."""
    counts = {
        "received": Count("pk"),
        "ongoing": Count("pk", filter=~closed_by_end),
        "tenancies": Count("pk", filter=Q(tenancy_sustained=True)),
    }
    for reason in ClosureReason:
        counts[f"closed_{reason.value}"] = Count(
            "pk", filter=closed_by_end & Q(closure_reason=reason.value)
        )
    return period.aggregate(**counts)


@dataclass(frozen=True)
class Headline:
    """The report's headline counts for a period, without its tables (two queries)."""

    cases_received: int
    resolved_in_place: int
    moved: int
    ongoing: int
    repeat_referral_cases: int

    @property
    def positively_resolved(self) -> int:
        """The victim no longer exploited, those moved for safety included (as the report)."""
        return self.resolved_in_place + self.moved


def headline(
    cases: QuerySet[Case], *, date_from: datetime.date, date_to: datetime.date
) -> Headline:
    """The headline counts by the same rules as `evaluation_report` (the same two queries it
    makes for them), for callers that need only these: the performance framework's computed
    indicators, quarter by quarter."""
    period, closed_by_end = _period(cases.order_by(), date_from, date_to)
    totals = _headline_totals(period, closed_by_end)
    return Headline(
        cases_received=totals["received"],
        resolved_in_place=totals["closed_positively_resolved"],
        moved=totals["closed_moved"],
        ongoing=totals["ongoing"],
        repeat_referral_cases=repeat_referral_counts(period)["cases"],
    )


def evaluation_report(
    cases: QuerySet[Case],
    *,
    date_from: datetime.date,
    date_to: datetime.date,
    average_void_cost: Decimal | None,
    service_cost: Decimal | None,
    saving_rounding: str = SavingRounding.PENNY,
) -> EvaluationReport:
    """The report over `cases` (already limited to what the reader may see) for the period."""
    everything = cases.order_by()
    period, closed_by_end = _period(everything, date_from, date_to)

    totals = _headline_totals(period, closed_by_end)
    measures = _measure_counts(period)
    found = repeats(everything, date_from=date_from, date_to=date_to)
    window_start = _day_range_start(date_to - datetime.timedelta(days=NO_CONTACT_DAYS - 1))
    window_end = _day_range_start(date_to + datetime.timedelta(days=1))
    ongoing = period.exclude(closed_by_end)
    contacted = (
        ChronologyEntry.objects.filter(
            case__in=ongoing.values("pk"),
            kind__in=[str(k) for k in CONTACT_KINDS],
            occurred_at__gte=window_start,
            occurred_at__lt=window_end,
        )
        .order_by()
        .values("case_id")
        .distinct()
        .count()
    )

    # Whole days, worked out by the database: only numbers come back, to take percentiles.
    durations = sorted(
        period.filter(closed_by_end)
        .annotate(days=DaysBetween("referral_date", "closed_on"))
        .values_list("days", flat=True)
    )
    # "YYYY-MM" from the date's text, which both databases compute natively (TruncMonth is a
    # Python function on SQLite, called once per row).
    months = (
        period.annotate(month=Substr(Cast("referral_date", CharField()), 1, 7))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    by_month = [Row(_month(month), n) for month, n in sorted(months)]

    return EvaluationReport(
        date_from=date_from,
        date_to=date_to,
        cases_received=totals["received"],
        by_source=_rows(period, "referral_source__name"),
        by_type=_rows(period, "exploitation_type", _type_label),
        by_area=_rows(period, "area__name"),
        by_month=by_month,
        by_ward=_rows(period, "location__ward__name"),
        resolved_in_place=totals["closed_positively_resolved"],
        moved=totals["closed_moved"],
        no_engagement=totals["closed_no_engagement"],
        no_exploitation=totals["closed_no_exploitation"],
        other_closed=totals["closed_other"],
        ongoing=totals["ongoing"],
        outcome_measures=[Row(m.label, measures[m]) for m in OutcomeMeasure],
        tenancies_sustained=totals["tenancies"],
        average_void_cost=average_void_cost,
        service_cost=service_cost,
        saving_rounding=saving_rounding,
        repeat_referral_people=found.people,
        repeat_referral_cases=found.cases,
        closed_in_period=len(durations),
        median_days_to_closure=(Decimal(str(statistics.median(durations))) if durations else None),
        p90_days_to_closure=(durations[math.ceil(0.9 * len(durations)) - 1] if durations else None),
        re_referrals=found.re_referrals,
        open_without_recent_contact=totals["ongoing"] - contacted,
    )


def _type_label(value: str) -> str:
    return ExploitationType(value).label if value in ExploitationType.values else value


def _month(value) -> str:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, str):
        value = datetime.date.fromisoformat(f"{value[:7]}-01")
    return value.strftime("%B %Y")
