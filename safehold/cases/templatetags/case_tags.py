"""The case pages' small pieces, written in Python where the template language would run once
per row: an `{% include %}` and a dozen variables per row of the case list were a third of the
list's Python time (ADR 0065, second round). The HTML is what the templates wrote, byte for
byte (test_case_tags.py compares them)."""

from django import template
from django.template.defaultfilters import date
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

RISK_COLOURS = {"high": "red", "medium": "orange"}


@register.simple_tag
def risk_tag(level, label):
    """A risk level's tag: red for high, orange for medium, green otherwise (with the newline
    the included template ended with, so the pages are byte for byte what they were)."""
    colour = RISK_COLOURS.get(level, "green")
    return format_html('<strong class="govuk-tag govuk-tag--{}">{} risk</strong>\n', colour, label)


CELL = '<td class="govuk-table__cell">{}</td>'
OPEN = mark_safe('<strong class="govuk-tag govuk-tag--blue">Open</strong>')
CLOSED = mark_safe('<strong class="govuk-tag govuk-tag--grey">Closed</strong>')
OVERDUE = mark_safe('<strong class="govuk-tag govuk-tag--red">Overdue</strong>')


@register.simple_tag
def case_list_cells(case):
    """A row's cells on the case list: reference (linked), person with postcode and area,
    referred, risk, status and whether it has overdue tasks; one line each."""
    where = ""
    if case.location:
        area = format_html(", {}", case.area.name) if case.area else ""
        where = format_html(
            '<br><span class="govuk-hint govuk-!-font-size-16">{}{}</span>',
            case.location.postcode,
            area,
        )
    cells = [
        format_html(
            '<td class="govuk-table__cell"><a class="govuk-link" href="{}">{}</a></td>',
            reverse("cases:detail", args=[case.pk]),
            case.reference,
        ),
        format_html(CELL, format_html("{}{}", case.subject.full_name, where)),
        format_html(
            '<td class="govuk-table__cell safehold-nowrap">{}</td>',
            date(case.referral_date, "j M Y"),
        ),
        format_html(CELL, risk_tag(case.risk_level, case.get_risk_level_display())),
        format_html(CELL, OPEN if case.status == "open" else CLOSED),
        format_html(CELL, OVERDUE if case.has_overdue else ""),
    ]
    return format_html("\n          ".join(["{}"] * len(cells)), *cells)
