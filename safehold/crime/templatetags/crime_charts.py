"""`{% heatmap_chart heatmap "id" %}`: the hour-of-day by day-of-week grid as a server-rendered
SVG. Every cell is shaded by its count and carries the number itself (and a tooltip naming the
day and hour), so the chart never relies on colour alone; the table beside it has the same
numbers and the legend says what each shade covers."""

import math

from django import template

from safehold.crime.incidents import HeatMap

register = template.Library()

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


@register.inclusion_tag("crime/_heatmap_chart.html")
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


@register.filter
def q_value(q: float) -> str:
    """A q- or p-value to four places, or "less than 0.0001" (never scientific notation)."""
    return "less than 0.0001" if q < 0.0001 else f"{q:.4f}"
