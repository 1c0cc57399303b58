"""The list's filter, the review decision and the administrators' indicators form; the
services check the rest (who, the entry, the values)."""

from django import forms

from safehold.core.forms import GovukDateField
from safehold.risk.choices import Decision
from safehold.risk.indicators import INDICATORS


class ListFilterForm(forms.Form):
    """The list's date (today by default) and area (a ward, or every area)."""

    as_of = GovukDateField(
        label="Date of the list",
        label_noun="the date of the list",
        required=False,
        help_text="Only data dated on or before it is used. For example, 27 3 2026",
    )
    area = forms.CharField(
        label="Ward (optional)",
        required=False,
        max_length=100,
        help_text="Its name, for example Brinnington, or its ONS code",
    )
    reviewed = forms.BooleanField(
        label="Show the entries reviewed since nothing new appeared", required=False
    )


class ReviewForm(forms.Form):
    """What a tenancy or exploitation officer decides about an entry, and why."""

    decision = forms.ChoiceField(
        label="What have you decided?",
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what you have decided"},
    )
    reason = forms.CharField(
        label="Reason for your decision",
        max_length=2000,
        widget=forms.Textarea,
        error_messages={"required": "Enter the reason for your decision"},
    )


class IndicatorsForm(forms.Form):
    """Every indicator's on/off, weight and parameters, and the reason for the change."""

    reason = forms.CharField(
        label="Reason for the change",
        max_length=2000,
        widget=forms.Textarea,
        error_messages={"required": "Enter the reason for the change"},
    )

    def __init__(self, *args, settings: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.settings = settings
        for indicator in INDICATORS:
            current = settings.get(indicator.code) or indicator.default_settings()
            self.fields[f"{indicator.code}__enabled"] = forms.BooleanField(
                label=f"{indicator.name}: on", required=False, initial=current["enabled"]
            )
            self.fields[f"{indicator.code}__weight"] = forms.IntegerField(
                label=f"Weight of “{indicator.name}”",
                min_value=0,
                initial=current["weight"],
                error_messages={
                    "required": f"Enter the weight of “{indicator.name}”",
                    "invalid": f"The weight of “{indicator.name}” must be a whole number",
                    "min_value": f"The weight of “{indicator.name}” must be 0 or more",
                },
            )
            for name in indicator.params:
                self.fields[f"{indicator.code}__param__{name}"] = forms.IntegerField(
                    label=f"{name.replace('_', ' ').capitalize()} for “{indicator.name}”",
                    min_value=1,
                    initial=current["params"].get(name, indicator.params[name]),
                    error_messages={
                        "required": f"Enter the {name} of “{indicator.name}”",
                        "invalid": f"The {name} of “{indicator.name}” must be a whole number",
                        "min_value": f"The {name} of “{indicator.name}” must be 1 or more",
                    },
                )

    def rows(self):
        """For the template: each indicator with its bound fields."""
        for indicator in INDICATORS:
            yield {
                "indicator": indicator,
                "enabled": self[f"{indicator.code}__enabled"],
                "weight": self[f"{indicator.code}__weight"],
                "params": [self[f"{indicator.code}__param__{n}"] for n in indicator.params],
            }

    def changes(self) -> dict[str, dict]:
        """Only what differs from the current settings, as `change_indicators` takes it."""
        changes: dict[str, dict] = {}
        for indicator in INDICATORS:
            code = indicator.code
            current = self.settings.get(code) or indicator.default_settings()
            change: dict = {}
            if self.cleaned_data[f"{code}__enabled"] != current["enabled"]:
                change["enabled"] = self.cleaned_data[f"{code}__enabled"]
            if self.cleaned_data[f"{code}__weight"] != current["weight"]:
                change["weight"] = self.cleaned_data[f"{code}__weight"]
            params = {
                name: self.cleaned_data[f"{code}__param__{name}"]
                for name in indicator.params
                if self.cleaned_data[f"{code}__param__{name}"]
                != current["params"].get(name, indicator.params[name])
            }
            if params:
                change["params"] = params
            if change:
                changes[code] = change
        return changes
