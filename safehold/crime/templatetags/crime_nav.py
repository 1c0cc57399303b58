"""`{% crime_sections "police" %}`: the sub navigation every Crime and ASB page starts with,
between police.uk crime (the dashboard and its analyses) and partners' incident logs."""

from django import template
from django.urls import reverse

register = template.Library()

SECTIONS = (
    ("police", "crime:dashboard", "Police.uk crime"),
    ("incidents", "crime:incidents", "Partners' incident logs"),
)


@register.inclusion_tag("crime/_sections_nav.html")
def crime_sections(current: str) -> dict:
    return {
        "items": [
            {"href": reverse(name), "text": text, "current": key == current}
            for key, name, text in SECTIONS
        ]
    }
