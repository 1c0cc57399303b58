"""Indicators Safehold computes from its own casework, kept up to date without entry.

Each is a headline figure of the evaluation report (`safehold.reports.evaluation.headline`,
the same counting the full report does) for one period of the indicator's frequency, over every
case of the programme: the published evaluation's rules, not a second implementation of them. They are aggregates of the whole
programme computed by the system, not a user's read of cases (ADR 0016). Values are stored
marked `computed`, source "Safehold", by `refresh` (`safehold kpi refresh`, and for the
periods shown whenever a board report is produced); nobody can enter the borough's values of
a computed indicator. A period is computed once it has ended, so no part-period is compared
with a whole one.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Min, QuerySet

from safehold import audit
from safehold.audit.choices import Action
from safehold.cases.models import Case
from safehold.cases.services.referrals import default_programme
from safehold.core import dates
from safehold.performance.choices import Area, EntryMethod, Frequency, Polarity, Unit
from safehold.performance.models import Indicator, IndicatorValue
from safehold.performance.periods import Period, containing, latest_ending_by
from safehold.performance.services import Figure, save_indicator, store_value
from safehold.reports.evaluation import Headline, headline
from safehold.sharing.middleware import unrestricted

THEME = "Protecting Vulnerable People"
SOURCE = "Safehold"
PLACES = Decimal("0.0001")


def _repeat_percentage(report: Headline) -> Figure:
    if not report.cases_received:
        return Figure(None)
    share = Decimal(report.repeat_referral_cases) * 100 / report.cases_received
    return Figure(share.quantize(PLACES, ROUND_HALF_UP), report.repeat_referral_cases)


def _count(attribute: str):
    def figure(report: Headline) -> Figure:
        return Figure(Decimal(getattr(report, attribute)))

    return figure


@dataclass(frozen=True)
class ComputedIndicator:
    """How Safehold defines one computed indicator, and which figure of the report it is."""

    code: str
    name: str
    unit: str
    polarity: str
    decimal_places: int
    notes: str
    figure: Callable
    frequency: str = Frequency.QUARTERLY


COMPUTED = [
    ComputedIndicator(
        "EXP-REFERRALS",
        "Exploitation cases received",
        Unit.COUNT,
        Polarity.NONE,
        0,
        "Cases of the exploitation programme whose referral date is in the period (the "
        "evaluation report's “cases received”). No polarity: more referrals can mean better "
        "awareness as much as more exploitation.",
        _count("cases_received"),
    ),
    ComputedIndicator(
        "EXP-RESOLVED",
        "Exploitation cases positively resolved (no longer exploited)",
        Unit.COUNT,
        Polarity.HIGHER_BETTER,
        0,
        "Cases referred in the period and closed by its end as positively resolved or moved "
        "for safety: the evaluation report's (and the published) “positively resolved”.",
        _count("positively_resolved"),
    ),
    ComputedIndicator(
        "EXP-REPEAT-PCT",
        "Percentage of exploitation cases whose subject was referred more than once",
        Unit.PERCENTAGE,
        Polarity.LOWER_BETTER,
        1,
        "Cases of the period whose subject is the subject of two or more of the period's "
        "cases (the evaluation report's repeat referrals), as a percentage of the cases "
        "received; the number of those cases beside it.",
        _repeat_percentage,
    ),
]
COMPUTED_CODES = frozenset(c.code for c in COMPUTED)


def programme_cases() -> QuerySet[Case]:
    """Every case of the programme (the first one set up), as the command-line report counts."""
    programme = default_programme()
    return Case.objects.filter(programme=programme) if programme else Case.objects.none()


def ensure_indicators() -> dict[str, Indicator]:
    """The computed indicators, defined the first time; afterwards left as the partnership set
    them (their theme, polarity, tolerance and notes may be changed on their pages)."""
    held = Indicator.objects.in_bulk(list(COMPUTED_CODES), field_name="code")
    for spec in COMPUTED:
        if spec.code not in held:
            held[spec.code], _ = save_indicator(
                code=spec.code, theme=THEME, by=None, computed=True, name=spec.name,
                source=SOURCE, unit=spec.unit, polarity=spec.polarity, tolerance_percent=None,
                frequency=spec.frequency, decimal_places=spec.decimal_places, notes=spec.notes,
            )  # fmt: skip
    return held


@dataclass(frozen=True)
class RefreshResult:
    periods: int
    changed: int


def _periods_to_compute(
    frequency: str, first: datetime.date, today: datetime.date, wanted: list[Period] | None
) -> list[Period]:
    """Every ended period from the one containing `first`, or those of `wanted` among them."""
    start, last = containing(frequency, first), latest_ending_by(frequency, today)
    if wanted is not None:
        return [
            p for p in wanted if p.frequency == frequency and start.start <= p.start <= last.start
        ]
    periods, period = [], start
    while period.start <= last.start:
        periods.append(period)
        period = period.shift(1)
    return periods


@transaction.atomic
def refresh(
    *, periods: Iterable[Period] | None = None, today: datetime.date | None = None
) -> RefreshResult:
    """Recompute the computed indicators for the given periods, or for every period that has
    ended since the programme's first referral. Only values that change are written (with
    their history and audit event), so a refresh that finds nothing new writes nothing."""
    today = today or dates.today()
    indicators = ensure_indicators()
    held = {
        (v.indicator_id, v.period): v
        for v in IndicatorValue.objects.filter(
            indicator__in=[i.pk for i in indicators.values()], area=Area.BOROUGH
        )
    }
    wanted = list(periods) if periods is not None else None
    reports: dict[Period, Headline] = {}
    with unrestricted():
        cases = programme_cases()
        first_referral = cases.aggregate(first=Min("referral_date"))["first"]
        earliest_held = min((v.period_start for v in held.values()), default=None)
        starts = [d for d in (first_referral, earliest_held) if d is not None]
        if not starts:
            return RefreshResult(0, 0)
        chosen = {
            spec.code: _periods_to_compute(
                indicators[spec.code].frequency, min(starts), today, wanted
            )
            for spec in COMPUTED
        }
        for period in {p for periods_of in chosen.values() for p in periods_of}:
            reports[period] = headline(cases, date_from=period.start, date_to=period.end)
    changed = 0
    with audit.batched():
        for spec in COMPUTED:
            indicator = indicators[spec.code]
            for period in chosen[spec.code]:
                _, wrote = store_value(
                    indicator=indicator, period=period, area=Area.BOROUGH,
                    figure=spec.figure(reports[period]), by=None, method=EntryMethod.COMPUTED,
                    computed=True, current=held.get((indicator.pk, period.label)), look_up=False,
                )  # fmt: skip
                changed += wrote
        if changed:
            audit.record(
                action=Action.ALTER,
                object_type="performance.indicatorvalue",
                purpose=f"computed indicators refreshed from the casework: {len(reports)} "
                f"period(s), {changed} value(s) changed",
            )
    return RefreshResult(len(reports), changed)
