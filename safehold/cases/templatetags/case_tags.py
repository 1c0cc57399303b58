"""The case pages' small pieces, written in Python where the template language would run once
per row: an `{% include %}` and a dozen variables per row of the case list were a third of the
list's Python time (ADR 0065, second round). The HTML is what the templates wrote, byte for
byte (test_case_tags.py compares them)."""

from html import escape

from django import template
from django.template.defaultfilters import date
from django.urls import reverse
from django.utils.safestring import mark_safe

register = template.Library()

RISK_COLOURS = {"high": "red", "medium": "orange"}


def _e(value) -> str:
    """`conditional_escape` without its lazy-string wrapper: markup already safe as it is,
    anything else escaped (`html.escape`, as Django's `escape` does)."""
    return value.__html__() if hasattr(value, "__html__") else escape(str(value))


def _risk_tag(level, label) -> str:
    return (
        f'<strong class="govuk-tag govuk-tag--{RISK_COLOURS.get(level, "green")}">'
        f"{_e(label)} risk</strong>\n"
    )


@register.simple_tag
def risk_tag(level, label):
    """A risk level's tag: red for high, orange for medium, green otherwise (with the newline
    the included template ended with, so the pages are byte for byte what they were)."""
    return mark_safe(_risk_tag(level, label))  # noqa: S308 (every value escaped)


CELL = '<td class="govuk-table__cell">'
OPEN = '<strong class="govuk-tag govuk-tag--blue">Open</strong>'
CLOSED = '<strong class="govuk-tag govuk-tag--grey">Closed</strong>'
OVERDUE = '<strong class="govuk-tag govuk-tag--red">Overdue</strong>'


@register.simple_tag
def case_list_cells(case):
    """A row's cells on the case list: reference (linked), person with postcode and area,
    referred, risk, status and whether it has overdue tasks; one line each. Plain strings and
    `_e` (what the template's `{{ }}` does to a value), not `format_html`, which
    cost as much as the template did."""
    where = ""
    if case.location:
        area = f", {_e(case.area.name)}" if case.area else ""
        where = (
            '<br><span class="govuk-hint govuk-!-font-size-16">'
            f"{_e(case.location.postcode)}{area}</span>"
        )
    href = _e(reverse("cases:detail", args=[case.pk]))
    cells = (
        f'{CELL}<a class="govuk-link" href="{href}">{_e(case.reference)}</a></td>',
        f"{CELL}{_e(case.subject.full_name)}{where}</td>",
        '<td class="govuk-table__cell safehold-nowrap">'
        f"{_e(date(case.referral_date, 'j M Y'))}</td>",
        f"{CELL}{_risk_tag(case.risk_level, case.get_risk_level_display())}</td>",
        f"{CELL}{OPEN if case.status == 'open' else CLOSED}</td>",
        f"{CELL}{OVERDUE if case.has_overdue else ''}</td>",
    )
    return mark_safe("\n          ".join(cells))  # noqa: S308 (every value escaped)
