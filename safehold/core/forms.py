"""Form pieces shared by every app: the GOV.UK date input and its field."""

import datetime

from django import forms
from django.core.exceptions import ValidationError

from safehold.core import dates


class GovukDateInput(forms.MultiWidget):
    """Day, month and year boxes (GOV.UK date input pattern)."""

    template_name = "govuk/widgets/date_input.html"

    def __init__(self, attrs=None):
        widgets = {
            "day": forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "class": "govuk-input govuk-date-input__input govuk-input--width-2",
                }
            ),
            "month": forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "class": "govuk-input govuk-date-input__input govuk-input--width-2",
                }
            ),
            "year": forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "class": "govuk-input govuk-date-input__input govuk-input--width-4",
                }
            ),
        }
        super().__init__(widgets, attrs)

    def get_context(self, name, value, attrs):
        # Ids follow the names (id_x_day, not Django's id_x_0), so error links can point at them.
        context = super().get_context(name, value, attrs)
        for suffix, sub in zip(self.widgets_names, context["widget"]["subwidgets"], strict=True):
            if sub["attrs"].get("id"):
                sub["attrs"]["id"] = f"{context['widget']['attrs']['id']}{suffix}"
        return context

    def id_for_label(self, id_):
        return f"{id_}_day" if id_ else id_

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    """A date from three boxes, with the Design System's error wording."""

    widget = GovukDateInput

    def __init__(self, *, label_noun: str = "date", past_only: bool = False, **kwargs):
        self.label_noun = label_noun
        self.past_only = past_only
        fields = (
            forms.CharField(required=False),
            forms.CharField(required=False),
            forms.CharField(required=False),
        )
        kwargs.setdefault("require_all_fields", False)
        super().__init__(fields=fields, **kwargs)
        self.error_messages["required"] = f"Enter {label_noun}"

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        day, month, year = (str(v or "").strip() for v in data_list)
        missing = [name for name, v in (("day", day), ("month", month), ("year", year)) if not v]
        if missing:
            raise ValidationError(
                f"{self.label_noun.capitalize()} must include a {' and '.join(missing)}"
            )
        try:
            value = datetime.date(int(year), int(month), int(day))
        except ValueError as exc:
            raise ValidationError(f"{self.label_noun.capitalize()} must be a real date") from exc
        if len(year) != 4:
            raise ValidationError("Year must include 4 numbers")
        if self.past_only and value > dates.today():
            raise ValidationError(f"{self.label_noun.capitalize()} must be today or in the past")
        return value
