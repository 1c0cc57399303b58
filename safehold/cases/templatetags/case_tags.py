"""The case pages' small pieces, written in Python where a template would be included once per
row: an `{% include %}` per row of the case list cost a tenth of the list's Python time
(ADR 0065, second round)."""

from django import template
from django.utils.html import format_html

register = template.Library()

RISK_COLOURS = {"high": "red", "medium": "orange"}


@register.simple_tag
def risk_tag(level, label):
    """A risk level's tag: red for high, orange for medium, green otherwise (with the newline
    the included template ended with, so the pages are byte for byte what they were)."""
    colour = RISK_COLOURS.get(level, "green")
    return format_html('<strong class="govuk-tag govuk-tag--{}">{} risk</strong>\n', colour, label)
