"""The risk tag, written in Python instead of an included template (ADR 0065, second round):
the same HTML the template gave, escaped the same way."""

import pytest
from django.template import Context, Template

# What cases/_risk_tag.html rendered, for each level.
INCLUDED = (
    '{% if level == "high" %}<strong class="govuk-tag govuk-tag--red">{{ label }} risk</strong>'
    '{% elif level == "medium" %}<strong class="govuk-tag govuk-tag--orange">{{ label }} risk'
    '</strong>{% else %}<strong class="govuk-tag govuk-tag--green">{{ label }} risk</strong>'
    "{% endif %}\n"
)


@pytest.mark.parametrize(
    "level, label",
    [("high", "High"), ("medium", "Medium"), ("standard", "Standard"), ("", "<b>&"), (None, "")],
)
def test_the_risk_tag_is_what_the_included_template_was(level, label):
    tag = Template("{% load case_tags %}{% risk_tag level label %}")
    context = {"level": level, "label": label}
    assert tag.render(Context(context)) == Template(INCLUDED).render(Context(context))


# What a row of cases/case_list.html rendered inside its <tr> before the cells were written in
# Python.
ROW = (
    '<td class="govuk-table__cell"><a class="govuk-link" href="{% url \'cases:detail\' c.pk %}">'
    "{{ c.reference }}</a></td>\n"
    '          <td class="govuk-table__cell">{{ c.subject.full_name }}{% if c.location %}<br>'
    '<span class="govuk-hint govuk-!-font-size-16">{{ c.location.postcode }}{% if c.area %}, '
    "{{ c.area.name }}{% endif %}</span>{% endif %}</td>\n"
    '          <td class="govuk-table__cell safehold-nowrap">{{ c.referral_date|date:"j M Y" }}'
    "</td>\n"
    '          <td class="govuk-table__cell">{% risk_tag c.risk_level c.get_risk_level_display %}'
    "</td>\n"
    '          <td class="govuk-table__cell">{% if c.status == "open" %}<strong class="govuk-tag '
    'govuk-tag--blue">Open</strong>{% else %}<strong class="govuk-tag govuk-tag--grey">Closed'
    "</strong>{% endif %}</td>\n"
    '          <td class="govuk-table__cell">{% if c.has_overdue %}<strong class="govuk-tag '
    'govuk-tag--red">Overdue</strong>{% endif %}</td>'
)


def _case(*, location: bool, area: bool, **fields):
    import datetime
    import uuid

    from safehold.cases.models import Case
    from safehold.geography.models import NeighbourhoodArea
    from safehold.people.models import Location, Person

    case = Case(pk=uuid.uuid4(), reference="SH-<1>&", referral_date=datetime.date(2026, 3, 9))
    for name, value in fields.items():
        setattr(case, name, value)
    case.subject = Person(given_name="Ann <b>", family_name="O'Brien & Co")
    case.location = Location(postcode="SK1 <3AB>") if location else None
    case.area = NeighbourhoodArea(name="Brinnington & <Hall>") if area else None
    return case


@pytest.mark.parametrize(
    "case",
    [
        _case(location=True, area=True, risk_level="high", status="open", has_overdue=True),
        _case(location=True, area=False, risk_level="medium", status="closed", has_overdue=False),
        _case(location=False, area=True, risk_level="standard", status="open", has_overdue=False),
        _case(location=False, area=False, risk_level="standard", status="closed", has_overdue=True),
    ],
)
def test_the_case_lists_cells_are_what_the_template_was(case):
    cells = Template("{% load case_tags %}{% case_list_cells c %}").render(Context({"c": case}))
    assert cells == Template("{% load case_tags %}" + ROW).render(Context({"c": case}))
    assert "&lt;b&gt;" in cells and "O&#x27;Brien &amp; Co" in cells
