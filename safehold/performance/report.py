"""The board report: for a chosen period, each theme's indicators with their last three values,
the trend the rule gives, their history, comparison figures and the theme's narrative.

`board_report` builds one BoardReport; the page, the PDF, CSV, XLSX and JSON are all made from
it (formats.py), so they cannot disagree. It takes a fixed number of queries whatever the number
of indicators: themes and indicators, the values of the window, the narratives, and the
computed indicators' refresh (a fixed set of indicators and periods).

Apps above this one add parts of their own after the themes (`register_board_part`: the top
indicators list's fairness report, issue 18): each a title, a template and its context, shown in
the page, the printable report and the PDF; the CSV, XLSX and JSON hold the indicators only.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from safehold.performance import computed, disclosure, display
from safehold.performance.choices import COMPARISON_AREAS, Area, Frequency
from safehold.performance.models import Indicator, IndicatorValue, Narrative
from safehold.performance.periods import Period, latest_ending_by, parse
from safehold.performance.trend import RULE, TrendResult, trend

SHOWN = 3  # the table: the report's period and the two before it
HISTORY = 8  # the chart: up to this many periods, ending with the latest
FREQUENCY_ORDER = [Frequency.ANNUAL, Frequency.QUARTERLY, Frequency.MONTHLY]
INCLUSION_RULE = (
    "An indicator appears when it has at least one value (even “not available”) in the "
    f"periods its history covers (up to {HISTORY}, ending with the latest). For an indicator "
    "reported more often or less often than the report's period, the latest period is its "
    "last one that ends by the end of the report's period."
)


@dataclass(frozen=True)
class Cell:
    """One period's figure of an indicator, written once for every format."""

    period: Period
    value: Decimal | None = None
    count: int | None = None
    break_in_series: bool = False
    note: str = ""
    entered: bool = False  # a value is held for the period (possibly "not available")
    text: str = display.NOT_AVAILABLE
    exact: str | None = None

    @property
    def available(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class Comparison:
    area: str
    label: str
    cell: Cell


@dataclass(frozen=True)
class Row:
    """One indicator in the report."""

    indicator: Indicator
    cells: list[Cell]  # the three shown periods, oldest first
    history: list[Cell]  # oldest first; always includes the three shown periods
    trend: TrendResult
    comparisons: dict[str, Comparison]  # by area, for the latest period, where entered

    @property
    def latest(self) -> Cell:
        return self.cells[-1]

    @property
    def has_breaks(self) -> bool:
        return any(c.break_in_series for c in self.cells)


@dataclass(frozen=True)
class Table:
    """A theme's indicators of one frequency, under the same three period headings."""

    frequency: str
    periods: list[Period]
    rows: list[Row]
    comparison_areas: list[tuple[str, str]]  # (area code, label) with any figure entered

    @property
    def lines(self) -> list[tuple[Row, list[Comparison | None]]]:
        """Each row with its comparison figures in the order of the comparison columns."""
        return [(r, [r.comparisons.get(a) for a, _ in self.comparison_areas]) for r in self.rows]

    @property
    def has_breaks(self) -> bool:
        return any(r.has_breaks for r in self.rows)


@dataclass(frozen=True)
class Section:
    theme_name: str
    theme_id: object
    tables: list[Table]
    narrative: Narrative | None
    lead_officers: list[str]

    @property
    def rows(self) -> list[Row]:
        return [row for table in self.tables for row in table.rows]


@dataclass(frozen=True)
class Part:
    """A part of the board report another app adds after the themes: its heading, the template
    that renders it (with `part` and `page`, in the page and the printable report alike) and
    what that template reads."""

    name: str
    title: str
    template: str
    context: dict


# name -> (order, provider): provider(period, viewer) gives the part of the report for that
# period as the viewer (None: the command line) may read it, or None to leave it out.
_parts: dict[str, tuple[int, Callable[[Period, object], Part | None]]] = {}


def register_board_part(
    name: str, order: int, provider: Callable[[Period, object], Part | None]
) -> None:
    """Add a part to every board report (from an app's `AppConfig.ready()`); by name, so
    registering twice is once."""
    _parts[name] = (order, provider)


def _added_parts(period: Period, viewer) -> list[Part]:
    made = (provider(period, viewer) for _, provider in sorted(_parts.values(), key=_first))
    return [part for part in made if part is not None]


def _first(item: tuple) -> int:
    return item[0]


@dataclass
class BoardReport:
    period: Period
    sections: list[Section]
    produced_at: datetime.datetime = field(default_factory=timezone.now)
    rule: list[str] = field(default_factory=lambda: list(RULE))
    inclusion_rule: str = INCLUSION_RULE
    coverage: str = ""  # whose cases the computed indicators count (disclosure.coverage_note)
    parts: list[Part] = field(default_factory=list)  # added by other apps, after the themes

    @property
    def rows(self) -> list[Row]:
        return [row for section in self.sections for row in section.rows]


def latest_for(frequency: str, period: Period) -> Period:
    """An indicator's latest period in a report for `period`: the report's own period when the
    frequencies match, else the indicator's last period ending by the report period's end."""
    return period if frequency == period.frequency else latest_ending_by(frequency, period.end)


def _cell(
    period: Period, held: IndicatorValue | None, indicator: Indicator, *, exact: bool = True
) -> Cell:
    if held is None:
        return Cell(period)
    if not exact and disclosure.is_small(
        indicator, area=held.area, value=held.value, count=held.count
    ):
        # Entered, but not shown: no value, so no trend can give it away either.
        return Cell(period=period, entered=True, text=disclosure.SUPPRESSED, note=held.note)
    return Cell(
        period=period,
        value=held.value,
        count=held.count,
        break_in_series=held.break_in_series,
        note=held.note,
        entered=True,
        text=display.figure(held.value, held.count, indicator.unit, indicator.decimal_places),
        exact=display.exact(held.value, indicator.decimal_places),
    )


def computed_periods(period: Period) -> list[Period]:
    """The periods of the computed indicators a report for `period` shows in its table."""
    frequencies = {spec.frequency for spec in computed.COMPUTED}
    return [latest_for(f, period).shift(-i) for f in frequencies for i in range(SHOWN)]


def board_report(
    period: Period,
    *,
    refresh: bool = True,
    today: datetime.date | None = None,
    viewer=None,
    with_parts: bool = True,
) -> BoardReport:
    """The report for `period`. With `refresh`, the computed indicators are brought up to date
    first for the periods the table shows. For a `viewer` whose agency may not see the casework
    counts exactly, their small numbers are suppressed (`disclosure`); None is the command
    line. The other apps' parts are made only `with_parts` (the page, the printable report and
    the PDF show them; the CSV, XLSX and JSON hold the indicators alone)."""
    exact = disclosure.sees_exact_figures(viewer)
    if refresh:
        computed.refresh(periods=computed_periods(period), today=today)
    indicators = list(Indicator.objects.select_related("theme"))
    latest = {f: latest_for(f, period) for f in Frequency.values}
    earliest = (
        min(latest[f].shift(1 - HISTORY).start for f in {i.frequency for i in indicators})
        if indicators
        else period.start
    )
    held: dict[tuple, IndicatorValue] = {
        (v.indicator_id, v.area, v.period): v
        for v in IndicatorValue.objects.filter(
            period_start__gte=earliest, period_start__lte=period.end
        )
    }
    narratives = {
        n.theme_id: n
        for n in Narrative.objects.filter(period=period.label).select_related("written_by")
    }

    sections: dict = {}
    for indicator in indicators:
        last = latest[indicator.frequency]
        window = [last.shift(i) for i in range(1 - HISTORY, 1)]
        history = [
            _cell(p, held.get((indicator.pk, Area.BOROUGH, p.label)), indicator, exact=exact)
            for p in window
        ]
        if not any(c.entered for c in history):
            continue
        first = next(i for i, c in enumerate(history) if c.entered)
        history = history[min(first, HISTORY - SHOWN) :]
        cells = history[-SHOWN:]
        result = trend(
            latest=cells[-1].value,
            previous=cells[-2].value,
            latest_break=cells[-1].break_in_series,
            polarity=indicator.polarity,
            tolerance_percent=indicator.tolerance_percent,
            decimal_places=indicator.decimal_places,
        )
        comparisons = {}
        for area in COMPARISON_AREAS:
            found = held.get((indicator.pk, area, last.label))
            if found is not None:
                comparisons[area] = Comparison(
                    area, Area(area).label, _cell(last, found, indicator)
                )
        row = Row(indicator, cells, history, result, comparisons)
        section = sections.setdefault(indicator.theme_id, {"theme": indicator.theme, "rows": {}})
        section["rows"].setdefault(indicator.frequency, []).append(row)

    report_sections = []
    for entry in sections.values():
        theme, by_frequency = entry["theme"], entry["rows"]
        tables = []
        for frequency in FREQUENCY_ORDER:
            rows = by_frequency.get(frequency)
            if not rows:
                continue
            areas = [
                (a, Area(a).label)
                for a in COMPARISON_AREAS
                if any(a in r.comparisons for r in rows)
            ]
            tables.append(Table(frequency, [c.period for c in rows[0].cells], rows, areas))
        officers = list(
            dict.fromkeys(
                r.indicator.lead_officer for t in tables for r in t.rows if r.indicator.lead_officer
            )
        )
        report_sections.append(
            Section(theme.name, theme.pk, tables, narratives.get(theme.pk), officers)
        )
    return BoardReport(
        period=period,
        sections=report_sections,
        coverage=disclosure.coverage_note(viewer),
        parts=_added_parts(period, viewer) if with_parts else [],
    )


def available_periods() -> list[Period]:
    """Every period any borough value is held for, latest first (the page's period chooser)."""
    labels = (
        IndicatorValue.objects.filter(area=Area.BOROUGH)
        .order_by()
        .values_list("period", flat=True)
        .distinct()
    )
    periods = {parse(label) for label in labels}
    return sorted(periods, key=lambda p: p.sort_key, reverse=True)


def latest_period() -> Period | None:
    """The period a report shows when none is chosen: the latest one any value is held for (a
    year rather than its last quarter when both end the same day)."""
    periods = available_periods()
    return periods[0] if periods else None
