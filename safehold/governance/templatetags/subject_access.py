"""Filters for showing the subject access data (plain values) as readable text in the PDF."""

import datetime

from django import template
from django.utils import dateformat, timezone

register = template.Library()


@register.filter
def readable(value) -> str:
    """A value of the export as people read it: dates in words, yes/no, lists joined."""
    if value is None or value == "" or value == []:
        return "Not recorded"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return dateformat.format(timezone.localtime(value), "j F Y, H:i")
    if isinstance(value, datetime.date):
        return dateformat.format(value, "j F Y")
    if isinstance(value, dict):
        return " \u2013 ".join(readable(v) for v in value.values() if v not in (None, ""))
    if isinstance(value, list | tuple):
        return "; ".join(readable(v) for v in value)
    return str(value)


LABELS = {"uprn": "UPRN", "id": "Safehold reference"}


@register.filter
def key_label(key: str) -> str:
    """A key of the export as a label: `decision_reason` → "Decision reason"."""
    return LABELS.get(key) or str(key).replace("_", " ").capitalize()


@register.filter
def is_table(value) -> bool:
    """A list of records (shown as its own table), not a list of words."""
    return isinstance(value, list) and bool(value) and isinstance(value[0], dict)
