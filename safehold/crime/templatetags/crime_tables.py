"""`{% hotspot_rows hotspots.cells %}`: the rows of the hot-spot table, made in one go. A page
can list hundreds of cells with five figures each, and the template language's `floatformat`
on every figure was most of the dashboard's time; the figures are written as `floatformat`
writes them (rounded half up, from the number as Python prints it)."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst

from safehold.charts.templatetags.charts import q_value

register = template.Library()

ROW = (
    '<tr class="govuk-table__row">'
    '<td class="govuk-table__cell safehold-nowrap">{}</td>'
    '<td class="govuk-table__cell">{}</td>'
    '<td class="govuk-table__cell govuk-table__cell--numeric">{}</td>'
    '<td class="govuk-table__cell govuk-table__cell--numeric">{}</td>'
    '<td class="govuk-table__cell govuk-table__cell--numeric">{}</td>'
    '<td class="govuk-table__cell">{}, {}</td>'
    '<td class="govuk-table__cell">{}, {}</td>'
    "</tr>"
)


def fixed(value: float, places: int) -> str:
    """`value|floatformat:places` for a number."""
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return f"{rounded.copy_abs() if rounded == 0 else rounded:f}"  # never "-0.00"


@register.simple_tag
def hotspot_rows(cells) -> SafeString:
    """The table rows of hot-spot cells, each a (cell, ward of its centre) pair."""
    return format_html_join(
        "",
        ROW,
        (
            (
                capfirst(c.classification),
                ward or "Outside Stockport",
                c.count,
                fixed(c.z, 2),
                q_value(c.q),
                fixed(c.centre_lat, 5),
                fixed(c.centre_lon, 5),
                fixed(c.centre_easting, 0),
                fixed(c.centre_northing, 0),
            )
            for c, ward in cells
        ),
    )
