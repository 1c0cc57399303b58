"""One way of rendering forms: GOV.UK Design System markup for any Django form field.

`{% govuk_error_summary form %}` at the top of the page, then `{% govuk_field form.x %}` for
each field; the widget decides the component (input, textarea, select, radios, checkboxes,
date input). Labels, hints and error messages follow the Design System.
"""

from django import forms, template
from django.template.loader import render_to_string

from safehold.core.forms import GovukDateInput

register = template.Library()


def _kind(widget: forms.Widget) -> str:
    if isinstance(widget, GovukDateInput):
        return "date"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.FileInput):  # ClearableFileInput too
        return "file"
    return "input"


@register.simple_tag
def govuk_field(bound_field, label_size: str = "", width: str = "") -> str:
    if bound_field.is_hidden:
        # The version a form was opened with (ADR 0061): no label, no component.
        return bound_field.as_hidden()
    kind = _kind(bound_field.field.widget)
    widget = bound_field.field.widget
    if kind == "date":
        # Sub-inputs carry the error class too.
        widget.attrs["has_error"] = bool(bound_field.errors)
    context = {
        "field": bound_field,
        "kind": kind,
        "label_size": label_size,
        "width": width,
        "input_type": getattr(widget, "input_type", "text"),
        "autocomplete": widget.attrs.get("autocomplete", ""),
        "inputmode": widget.attrs.get("inputmode", ""),
        "accept": widget.attrs.get("accept", ""),
        "errors": bound_field.errors,
        "hint": bound_field.help_text,
        "id": bound_field.auto_id,
        "describedby": " ".join(
            part
            for part, on in (
                (f"{bound_field.auto_id}-hint", bool(bound_field.help_text)),
                (f"{bound_field.auto_id}-error", bool(bound_field.errors)),
            )
            if on
        ),
    }
    return render_to_string(f"govuk/fields/{kind}.html", context)


@register.simple_tag
def govuk_error_summary(*forms_: forms.Form) -> str:
    items = []
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        items += [{"href": "", "text": e} for e in form.non_field_errors()]
        for name, errors in form.errors.items():
            if name == "__all__":
                continue
            bf = form[name]
            if bf.is_hidden:
                items += [{"href": "", "text": e} for e in errors]
                continue
            anchor = bf.auto_id
            if isinstance(bf.field.widget, GovukDateInput):
                anchor = f"{bf.auto_id}_day"
            elif isinstance(bf.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                anchor = f"{bf.auto_id}_0"
            items += [{"href": f"#{anchor}", "text": e} for e in errors]
    if not items:
        return ""
    return render_to_string("govuk/error_summary.html", {"items": items})
