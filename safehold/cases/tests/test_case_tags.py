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
