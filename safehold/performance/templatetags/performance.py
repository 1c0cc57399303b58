"""The board report's pictures, drawn on the server as SVG: the trend symbol (always with its
words beside it, never colour or shape alone) and a small bar chart of an indicator's history
(with a table of the same numbers beside it in the template)."""

from decimal import Decimal

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html_join

from safehold.performance import display
from safehold.performance.choices import Trend
from safehold.performance.trend import TrendResult

register = template.Library()

POSITIVE, NEGATIVE, NEUTRAL = "#00703c", "#d4351c", "#1d70b8"
WITHIN, GREY = "#4c2c92", "#505a5f"
UP, DOWN = "M8 1 15 14H1z", "M1 2h14L8 15z"


def _shape(result: TrendResult) -> dict:
    code = result.code
    if code == Trend.NOT_COMPARABLE:
        return {"kind": "dash", "colour": GREY}
    if code == Trend.NO_CHANGE:
        return {"kind": "circle", "colour": GREY}
    path = UP if result.direction == "increasing" else DOWN
    if code == Trend.WITHIN_RANGE:
        return {"kind": "outline", "path": path, "colour": WITHIN}
    colour = POSITIVE if code.endswith("positive") else NEGATIVE
    if code.endswith("neutral"):
        colour = NEUTRAL
    return {"kind": "solid", "path": path, "colour": colour}


@register.filter
def paragraphs(text: str) -> str:
    """A narrative as GOV.UK paragraphs: a blank line starts a new one (the text is escaped)."""
    blocks = [b.strip() for b in str(text).replace("\r\n", "\n").split("\n\n") if b.strip()]
    return format_html_join(
        "\n", '<p class="govuk-body">{}</p>', ((linebreaksbr(b),) for b in blocks)
    )


@register.inclusion_tag("performance/_trend.html")
def trend_symbol(result: TrendResult) -> dict:
    """The symbol (hidden from screen readers: the words say it all) and the words."""
    return {"shape": _shape(result), "words": result.words, "code": str(result.code)}


SLOT, BAR, LEFT, TOP, PLOT, BOTTOM = 64, 40, 6, 18, 80, 32


def _n(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.1')):f}"


@register.inclusion_tag("performance/_history_chart.html")
def history_chart(row, chart_id: str) -> dict:
    """Vertical bars, one per period, each labelled with its period and its figure ("N/A"
    where none is available; a * after a break in series). Geometry only is computed here:
    the figures are the report's own text."""
    cells = row.history
    values = [c.value for c in cells if c.value is not None]
    high = max([Decimal(0), *values])
    low = min([Decimal(0), *values])
    if high == low:  # all zero (or none): the zero line at the foot, as for positive figures
        high = Decimal(1)
    span = (high - low) or Decimal(1)
    zero = TOP + PLOT * high / span
    bars = []
    for i, cell in enumerate(cells):
        x = LEFT + i * SLOT
        centre = x + SLOT / Decimal(2)
        label = "N/A"
        bar = None
        label_y = zero - 4
        if cell.value is not None:
            height = PLOT * abs(cell.value) / span
            top = zero - height if cell.value >= 0 else zero
            bar = {"x": _n(x + (SLOT - BAR) / Decimal(2)), "y": _n(top), "height": _n(height)}
            label = display.number(cell.value, row.indicator.unit, row.indicator.decimal_places) + (
                "*" if cell.break_in_series else ""
            )
            label_y = top - 4 if cell.value >= 0 else top + height + 11
        bars.append(
            {
                "bar": bar,
                "centre": _n(centre),
                "label": label,
                "label_y": _n(label_y),
                "period": cell.period.label,
            }
        )
    width = LEFT * 2 + SLOT * len(cells)
    return {
        "chart_id": chart_id,
        "title": f"{row.indicator.name}: one bar per period (chart; the same numbers are in "
        "the table beside it)",
        "bars": bars,
        "zero": _n(zero),
        "width": width,
        "height": TOP + PLOT + BOTTOM,
        "period_y": TOP + PLOT + 18,
        "right": width - LEFT,
        "colour": NEUTRAL,
        "bar_width": BAR,
    }
