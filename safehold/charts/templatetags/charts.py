"""`{% load charts %}`: server-rendered SVG charts, each with a table of the same numbers beside
it in the page, for every app (the evaluation report, police.uk crime, incident logs).

- `{% bar_chart table "id" %}`: horizontal bars of a report table (safehold.core.documents.Table:
  rows of label and whole number), every bar labelled with its name and its number.

- `{% heatmap_chart heatmap "id" %}`: the hour-of-day by day-of-week grid. Every cell is shaded
  by its count and carries the number itself (and a tooltip naming the day and hour), so the
  chart never relies on colour alone; the legend says what each shade covers.
- `{% month_chart points "id" "count" %}`: a police.uk trend, one bar per month with its number,
  and a line across each bar for the same month a year before (`"rolling"`: the 12-month
  totals and those a year before).
- `{% value_chart items "id" "title" "label" "value" %}`: horizontal bars of any items, by two
  of their attributes (crime types and their counts, areas and their rates, …).
"""

import math
from collections.abc import Sequence
from typing import Protocol

from django import template

register = template.Library()


class HeatMap(Protocol):
    """What `heatmap_chart` draws (safehold.incidents.analysis.HeatMap has it): seven days, each
    a row of 24 hourly counts."""

    days: Sequence[str]
    hours: Sequence[int]
    counts: Sequence[Sequence[int]]


DASH = "\u2013"  # an en dash, for a figure there is none of

LABEL_WIDTH, CELL_WIDTH, CELL_HEIGHT, HEADER_HEIGHT = 92, 32, 28, 24
# White for none, then five blues, lightest to darkest; the last two take white numbers
# (each pairing is at least 4.5:1).
SHADES = ("#ffffff", "#deebf7", "#9ecae1", "#6baed6", "#2171b5", "#08306b")
DARK_FROM = 4


def band(value: int, top: int) -> int:
    """0 for none; else 1 to 5 by fifths of the busiest cell (the busiest is always 5)."""
    if value <= 0 or top <= 0:
        return 0
    return min(len(SHADES) - 1, max(1, math.ceil((len(SHADES) - 1) * value / top)))


def legend(top: int) -> list[dict]:
    """What each shade covers, in whole incidents; shades no count can fall in are left out."""
    entries = [{"colour": SHADES[0], "text": "No incidents"}]
    bands = len(SHADES) - 1
    for k in range(1, bands + 1):
        low, high = math.floor((k - 1) * top / bands) + 1, math.floor(k * top / bands)
        if top and low <= high:
            text = f"{low:,}" if low == high else f"{low:,} to {high:,}"
            unit = "incident" if high == 1 else "incidents"
            entries.append({"colour": SHADES[k], "text": f"{text} {unit}"})
    return entries


def hour_range(hour: int) -> str:
    return f"{hour:02d}:00 to {(hour + 1) % 24:02d}:00"


@register.inclusion_tag("charts/_heatmap_chart.html")
def heatmap_chart(h: HeatMap, chart_id: str, description: str = "") -> dict:
    top = max((max(row) for row in h.counts), default=0)
    rows = []
    for d, (day, counts) in enumerate(zip(h.days, h.counts, strict=True)):
        y = HEADER_HEIGHT + d * CELL_HEIGHT
        cells = []
        for hour, value in enumerate(counts):
            shade = band(value, top)
            cells.append(
                {
                    "x": LABEL_WIDTH + hour * CELL_WIDTH,
                    "text_x": LABEL_WIDTH + hour * CELL_WIDTH + CELL_WIDTH // 2,
                    "fill": SHADES[shade],
                    "ink": "#ffffff" if shade >= DARK_FROM else "#0b0c0c",
                    "value": value,
                    "small": value >= 1000,
                    "title": f"{day}, {hour_range(hour)}: {value:,} incident{'s' * (value != 1)}",
                }
            )
        rows.append({"day": day, "y": y, "text_y": y + CELL_HEIGHT // 2 + 5, "cells": cells})
    return {
        "chart_id": chart_id,
        "description": description,
        "rows": rows,
        "hours": [
            {"label": f"{hour:02d}", "x": LABEL_WIDTH + hour * CELL_WIDTH + CELL_WIDTH // 2}
            for hour in h.hours
        ],
        "cell_width": CELL_WIDTH,
        "cell_height": CELL_HEIGHT,
        "label_x": LABEL_WIDTH - 8,
        "width": LABEL_WIDTH + 24 * CELL_WIDTH + 2,
        "height": HEADER_HEIGHT + 7 * CELL_HEIGHT + 2,
        "legend": legend(top),
    }


MONTH_SLOT, MONTH_BAR, MONTH_LEFT, MONTH_TOP, MONTH_PLOT, MONTH_BOTTOM = 38, 26, 8, 22, 160, 34
SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
SERIES = {
    "count": ("count", "previous_year", "crimes", "the same month a year before"),
    "incidents": ("count", "previous_year", "incidents", "the same month a year before"),
    "rolling": (
        "rolling_12",
        "rolling_12_previous",
        "crimes in the 12 months to this month",
        "the 12 months to the same month a year before",
    ),
}


def _f(value: float) -> str:
    return f"{value:.1f}"


def _marked_words(mark: str) -> str:
    if not mark:
        return ""
    month = f"{MONTHS[int(mark[5:]) - 1]} {mark[:4]}"
    return f" A dashed line marks the start of {month}, the month of the intervention."


@register.inclusion_tag("charts/_month_chart.html")
def month_chart(
    points: Sequence, chart_id: str, series: str = "count", title: str = "", mark: str = ""
) -> dict:
    """One bar per month of a trend (safehold.crime.queries.TrendPoint), its figure above it,
    and a black line across the slot at the figure a year before; months with no data loaded
    have no bar and say so. Each bar's tooltip gives both figures. `mark` (YYYY-MM): a dashed
    line before that month's bar, labelled, for the month an intervention began."""
    now_key, before_key, unit, before_words = SERIES[series]
    values = [getattr(p, now_key) for p in points] + [getattr(p, before_key) for p in points]
    high = max([1, *(v for v in values if v is not None)])
    base = MONTH_TOP + MONTH_PLOT
    bars = []
    for i, p in enumerate(points):
        now, before = getattr(p, now_key), getattr(p, before_key)
        x = MONTH_LEFT + i * MONTH_SLOT
        year, month = int(p.month[:4]), int(p.month[5:])
        bar = None
        if now is not None:
            height = MONTH_PLOT * now / high
            bar = {"x": _f(x + (MONTH_SLOT - MONTH_BAR) / 2), "y": _f(base - height),
                   "height": _f(height)}  # fmt: skip
        line_y = None if before is None else _f(base - MONTH_PLOT * before / high)
        tooltip = f"{MONTHS[month - 1]} {year}: " + (
            "no data loaded" if now is None else f"{now:,} {unit}"
        )
        if before is not None:
            tooltip += f"; {before_words}: {before:,}"
        bars.append(
            {
                "bar": bar,
                "line_y": line_y,
                "line_x1": _f(x + 2),
                "line_x2": _f(x + MONTH_SLOT - 2),
                "centre": _f(x + MONTH_SLOT / 2),
                "label": DASH if now is None else f"{now:,}",
                # Above the bar, and above the line a year before when it is higher.
                "label_y": _f(min(base - MONTH_PLOT * (v or 0) / high for v in (now, before)) - 4),
                "month": SHORT_MONTHS[month - 1],
                "year": str(year) if month == 1 or i == 0 else "",
                "title": tooltip,
            }
        )
    width = MONTH_LEFT * 2 + MONTH_SLOT * max(len(points), 1)
    marked = next((i for i, p in enumerate(points) if p.month == mark), None) if mark else None
    return {
        "mark_x": None if marked is None else _f(MONTH_LEFT + marked * MONTH_SLOT),
        "mark_label": "" if marked is None else f"{MONTHS[int(mark[5:]) - 1]} {mark[:4]}",
        "chart_id": chart_id,
        "title": title or f"{unit[0].upper()}{unit[1:]}, by month",
        "description": f"One bar per month with its number; a black line across each month "
        f"marks {before_words}.{_marked_words(mark if marked is not None else '')} "
        "The table has every figure.",
        "bars": bars,
        "base": base,
        "right": width - MONTH_LEFT,
        "month_y": base + 14,
        "year_y": base + 28,
        "width": width,
        "height": base + MONTH_BOTTOM,
        "bar_width": MONTH_BAR,
    }


VALUE_ROW, VALUE_LABEL, VALUE_BAR = 22, 230, 260
# Room right of the longest bar for its figure: a value chart's figures may have decimals.
TABLE_BAR_ROOM, VALUE_BAR_ROOM = 50, 70


def _bars(drawn: Sequence[tuple], title: str, chart_id: str, room: int) -> dict:
    """The bar chart's context from (label, number, figure shown) rows."""
    top = max((v for _, v, _ in drawn), default=0) or 1
    bars = [
        {
            "label": name,
            "value": shown,
            "y": i * VALUE_ROW,
            "text_y": i * VALUE_ROW + 15,
            "width": round(VALUE_BAR * v / top, 1),
            "value_x": VALUE_LABEL + round(VALUE_BAR * v / top, 1) + 6,
        }
        for i, (name, v, shown) in enumerate(drawn)
    ]
    return {
        "title": title,
        "chart_id": chart_id,
        "bars": bars,
        "label_width": VALUE_LABEL,
        "width": VALUE_LABEL + VALUE_BAR + room,
        "height": max(len(bars), 1) * VALUE_ROW,
    }


@register.inclusion_tag("charts/_bar_chart.html")
def bar_chart(table, chart_id: str) -> dict:
    """Horizontal bars for a report Table (rows of label, whole number), each bar labelled
    with its name and its number."""
    rows = [(label, value, value) for label, value in table.rows if isinstance(value, int)]
    return _bars(rows, table.title, chart_id, TABLE_BAR_ROOM)


@register.inclusion_tag("charts/_bar_chart.html")
def value_chart(items: Sequence, chart_id: str, title: str, label: str, value: str) -> dict:
    """Horizontal bars, one per item, from two of its attributes (`label` and `value`), in the
    same bar chart; whole numbers are written with commas, others to 2 places, a missing value
    as a dash with no bar."""
    drawn = []
    for item in items:
        v = getattr(item, value)
        text = DASH if v is None else (f"{v:,}" if isinstance(v, int) else f"{v:,.2f}")
        drawn.append((getattr(item, label), v or 0, text))
    return _bars(drawn, title, chart_id, VALUE_BAR_ROOM)


@register.filter
def q_value(q: float) -> str:
    """A q- or p-value to four places, or "less than 0.0001" (never scientific notation)."""
    return "less than 0.0001" if q < 0.0001 else f"{q:.4f}"


@register.filter
def rate(value: float | None) -> str:
    """A rate per 1,000 to 2 decimal places, or a dash when there is none."""
    return DASH if value is None else f"{value:,.2f}"


@register.filter
def signed_percent(value: float | None) -> str:
    """A change as "+12.3%" or "-4.0%", or a dash when there is none."""
    return DASH if value is None else f"{value:+.1f}%"


@register.filter
def signed(value: int | None) -> str:
    return DASH if value is None else f"{value:+,}"


@register.filter
def month_name(month: str) -> str:
    """'2018-02' as 'February 2018'."""
    return f"{MONTHS[int(month[5:]) - 1]} {month[:4]}"


@register.filter
def thousands(value: int | None) -> str:
    """A whole number with commas ("9,648"), or a dash when there is none (DuckDB gives some
    sums of whole numbers as floats or decimals)."""
    return DASH if value is None else f"{int(value):,}"
