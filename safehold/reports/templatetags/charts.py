"""A tiny server-rendered SVG bar chart: every bar labelled with its name and its number, so
the chart needs no script and says the same as the table beside it."""

from django import template

register = template.Library()

ROW_HEIGHT = 22
LABEL_WIDTH = 230
BAR_WIDTH = 260


@register.inclusion_tag("reports/_bar_chart.html")
def bar_chart(table, chart_id: str) -> dict:
    """Horizontal bars for a report Table (rows of label, number)."""
    rows = [(label, value) for label, value in table.rows if isinstance(value, int)]
    top = max((value for _, value in rows), default=0) or 1
    bars = [
        {
            "label": label,
            "value": value,
            "y": i * ROW_HEIGHT,
            "text_y": i * ROW_HEIGHT + 15,
            "width": round(BAR_WIDTH * value / top, 1),
            "value_x": LABEL_WIDTH + round(BAR_WIDTH * value / top, 1) + 6,
        }
        for i, (label, value) in enumerate(rows)
    ]
    return {
        "title": table.title,
        "chart_id": chart_id,
        "bars": bars,
        "label_width": LABEL_WIDTH,
        "width": LABEL_WIDTH + BAR_WIDTH + 50,
        "height": max(len(bars), 1) * ROW_HEIGHT,
    }
