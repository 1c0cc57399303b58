"""The letter language: plain text with named merge fields, and nothing else (ADR 0043).

A template is written as paragraphs separated by a blank line; `{{ address }}` and the other
fields of `FIELDS` are replaced by their values, HTML-escaped. No tags, filters, loops or
lookups: a `{%`, a `{#`, a `{{` that is not exactly one known field, or a field name Safehold
does not know is an error naming it, found when the template is saved. Letters are therefore
rendered without Django's template engine: a template can never reach an object, a setting or a
file, whoever writes it.
"""

import re

from django.utils.html import escape

# The merge fields, and what each holds (shown on the template page).
FIELDS = {
    "address": "the address the letter goes to, on one line",
    "postcode": "the postcode of that address",
    "officer_name": "the officer who signs the letter",
    "agency": "the agency sending it",
    "date": "the date the batch was printed, like 6 December 2026",
    "reference": "the letter's own reference, like RL-2026-0001-017",
    "purpose": "what the batch is for, as typed when it was planned",
}
FIELD = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


def problems(body: str) -> list[str]:
    """What is wrong with a template's text, in words a writer can act on (empty: none)."""
    found: list[str] = []
    if not body.strip():
        return ["Enter the text of the letter"]
    unknown = sorted({m.group(1) for m in FIELD.finditer(body)} - set(FIELDS))
    for name in unknown:
        found.append(
            f"The letter uses a merge field Safehold does not know: {{{{ {name} }}}}. "
            f"Use one of: {', '.join(FIELDS)}"
        )
    rest = FIELD.sub("", body)
    if "{%" in rest or "{#" in rest:
        found.append("Letters can only use merge fields like {{ address }}, not {% %} or {# #}")
    elif "{{" in rest or "}}" in rest:
        found.append("A merge field is not closed or not written as {{ name }}")
    return found


def render_html(body: str, values: dict[str, str]) -> str:
    """The letter as HTML paragraphs: the writer's text and the values escaped, fields merged."""
    paragraphs = re.split(r"\n\s*\n", body.replace("\r\n", "\n").strip())
    out = []
    for paragraph in paragraphs:
        pieces, last = [], 0
        for match in FIELD.finditer(paragraph):
            pieces.append(escape(paragraph[last : match.start()]))
            pieces.append(escape(values.get(match.group(1), "")))
            last = match.end()
        pieces.append(escape(paragraph[last:]))
        out.append("<p>" + "".join(pieces).replace("\n", "<br>") + "</p>")
    return "\n".join(out)
