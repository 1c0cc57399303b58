"""The performance pages' forms, in GOV.UK wording. Figures are read by the same functions as
the CSV imports (parsing.py), so what imports can also be typed, and the other way round."""

from django import forms
from django.core.exceptions import ValidationError

from safehold.core.locking import VersionedForm
from safehold.imports.forms import UploadForm
from safehold.performance.choices import (
    DEFAULT_DECIMAL_PLACES,
    MAX_DECIMAL_PLACES,
    Area,
    Frequency,
    Polarity,
    Unit,
)
from safehold.performance.imports import CODE_HINT, CODE_RE
from safehold.performance.models import Indicator, Theme
from safehold.performance.parsing import parse_count, parse_tolerance, parse_value
from safehold.performance.periods import EXAMPLES, PeriodError, parse, parse_for
from safehold.performance.services import Figure


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:]


class PeriodForm(forms.Form):
    """The board report's period, from the periods any value is held for."""

    period = forms.ChoiceField(label="Period", error_messages={"required": "Select a period"})

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.periods = {p.label: p for p in periods}
        self.fields["period"].choices = [(p.label, p.label) for p in periods]
        self.fields["period"].error_messages["invalid_choice"] = "Select a period from the list"

    def clean_period(self):
        return self.periods[self.cleaned_data["period"]]


NEW_THEME = "__new__"


class IndicatorForm(forms.Form):
    """An indicator's definition. The code is given once and never changes."""

    code = forms.CharField(
        label="Code",
        max_length=40,
        help_text=f"A short name used in import files: {CODE_HINT}",
        error_messages={"required": "Enter the indicator's code"},
    )
    name = forms.CharField(
        label="Name", max_length=300, error_messages={"required": "Enter the indicator's name"}
    )
    theme = forms.ChoiceField(
        label="Theme",
        required=False,
        help_text="The priority of the partnership plan it reports on",
    )
    new_theme = forms.CharField(
        label="Or add a new theme", max_length=200, required=False,
        help_text="For example, Protecting Vulnerable People",
    )  # fmt: skip
    source = forms.CharField(
        label="Source", max_length=100, help_text="Who supplies the figures, for example GMP or SCT",
        error_messages={"required": "Enter the source of the figures"},
    )  # fmt: skip
    lead_officer = forms.CharField(label="Lead officer (optional)", max_length=200, required=False)
    unit = forms.ChoiceField(
        label="Unit", choices=Unit.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select the unit", "invalid_choice": "Select the unit"},
    )  # fmt: skip
    polarity = forms.ChoiceField(
        label="Which way is better?", choices=Polarity.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select which way is better", "invalid_choice": "Select which way is better"},
    )  # fmt: skip
    tolerance_percent = forms.CharField(
        label="Acceptable range (optional)", required=False,
        help_text="A change of up to this percentage of the previous value is shown as within "
        "the acceptable range, for example 5. Leave empty for none",
    )  # fmt: skip
    frequency = forms.ChoiceField(
        label="How often it is reported", choices=Frequency.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select how often it is reported", "invalid_choice": "Select how often it is reported"},
    )  # fmt: skip
    decimal_places = forms.IntegerField(
        label="Decimal places shown (optional)", required=False, min_value=0,
        max_value=MAX_DECIMAL_PLACES,
        help_text="Figures are shown and compared for “no change” rounded to this many places. "
        "Leave empty for the unit's usual places",
        error_messages={
            "invalid": f"Decimal places must be a whole number from 0 to {MAX_DECIMAL_PLACES}",
            "min_value": f"Decimal places must be a whole number from 0 to {MAX_DECIMAL_PLACES}",
            "max_value": f"Decimal places must be a whole number from 0 to {MAX_DECIMAL_PLACES}",
        },
    )  # fmt: skip
    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea)

    def __init__(self, *args, indicator: Indicator | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        themes = list(Theme.objects.order_by("position", "name"))
        self.fields["theme"].choices = [("", "Select a theme"), *((t.name, t.name) for t in themes)]
        if indicator is not None:
            del self.fields["code"]
            if indicator.computed:
                for name in ("unit", "frequency", "name", "source"):
                    del self.fields[name]
            elif indicator.values.exists():
                del self.fields["frequency"]

    @staticmethod
    def initial_for(indicator: Indicator) -> dict:
        return {
            "name": indicator.name,
            "theme": indicator.theme.name,
            "source": indicator.source,
            "lead_officer": indicator.lead_officer,
            "unit": indicator.unit,
            "polarity": indicator.polarity,
            "tolerance_percent": ""
            if indicator.tolerance_percent is None
            else f"{indicator.tolerance_percent.normalize():f}",
            "frequency": indicator.frequency,
            "decimal_places": indicator.decimal_places,
            "notes": indicator.notes,
        }

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        if not CODE_RE.match(code):
            raise ValidationError(f"Enter a code of {CODE_HINT}")
        if Indicator.objects.filter(code=code).exists():
            raise ValidationError(f"There is already an indicator with the code {code}")
        return code

    def clean_tolerance_percent(self):
        try:
            return parse_tolerance(self.cleaned_data["tolerance_percent"])
        except ValueError as exc:
            raise ValidationError(_sentence(str(exc))) from exc

    def clean(self):
        data = super().clean()
        theme = " ".join(data.get("new_theme", "").split()) or data.get("theme")
        if not theme:
            self.add_error("theme", "Select a theme or add a new one")
        data["theme"] = theme
        return data

    def definition(self) -> dict:
        """The cleaned form as save_indicator's keyword arguments."""
        data = dict(self.cleaned_data)
        data.pop("new_theme", None)
        data.pop("code", None)
        unit = data.get("unit") or (self.indicator.unit if self.indicator else Unit.COUNT)
        if data.get("decimal_places") is None:
            data["decimal_places"] = (
                self.indicator.decimal_places
                if self.indicator and unit == self.indicator.unit
                else DEFAULT_DECIMAL_PLACES[Unit(unit)]
            )
        return data


class ValueForm(VersionedForm):
    """One value of an indicator for one period (the borough's, or a comparison figure).

    It carries the version of the value it was opened on and which one (`opened_for`, "period
    label|area"): a figure typed for a period whose value someone else entered or changed since
    is refused and shows theirs (ADR 0061). No version: no value was held when it was opened.
    """

    opened_for = forms.CharField(widget=forms.HiddenInput, required=False)

    period = forms.CharField(label="Period", error_messages={"required": "Enter the period"})
    area = forms.ChoiceField(
        label="Whose figure is it?", choices=Area.choices, widget=forms.RadioSelect,
        initial=Area.BOROUGH,
        error_messages={
            "required": "Select whose figure it is",
            "invalid_choice": "Select whose figure it is",
        },
    )  # fmt: skip
    value = forms.CharField(
        label="Value", required=False,
        help_text="For example 4648, 63.5 or 1170238. Leave empty if the figure is not available",
    )  # fmt: skip
    count = forms.CharField(
        label="Count beside it (optional)", required=False,
        help_text="The number some rates are published with, like the 77 of “296 (77)”",
    )  # fmt: skip
    break_in_series = forms.BooleanField(
        label="Break in series: the measure changed, so this figure cannot be compared with the "
        "one before",
        required=False,
    )
    note = forms.CharField(
        label="Note (optional)", max_length=200, required=False,
        help_text="Shown under the figure, for example “to June 17”",
    )  # fmt: skip

    def __init__(self, *args, indicator: Indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.fields["version"].required = False
        self.fields["period"].help_text = f"Enter {EXAMPLES[indicator.frequency]}"
        self.fields["area"].choices = [
            (code, f"{label} (comparison figure)" if code != Area.BOROUGH else "The borough's")
            for code, label in Area.choices
            if not (indicator.computed and code == Area.BOROUGH)
        ]
        if indicator.computed:
            self.fields["area"].initial = Area.GREATER_MANCHESTER

    def clean_period(self):
        text = self.cleaned_data["period"]
        try:
            return parse_for(text, self.indicator.frequency, self.indicator.code)
        except PeriodError as exc:
            try:
                parse(text)
            except PeriodError:
                raise ValidationError(_sentence(str(exc))) from exc
            raise ValidationError(
                f"Enter {EXAMPLES[self.indicator.frequency]}: {self.indicator.code} is reported "
                f"{Frequency(self.indicator.frequency).label.lower()}"
            ) from exc

    def clean_value(self):
        try:
            return parse_value(self.cleaned_data["value"], self.indicator.unit)
        except ValueError as exc:
            raise ValidationError(_sentence(str(exc))) from exc

    def clean_count(self):
        try:
            return parse_count(self.cleaned_data["count"])
        except ValueError as exc:
            raise ValidationError(_sentence(str(exc))) from exc

    def clean(self):
        data = super().clean()
        if data.get("count") is not None and "value" in data and data["value"] is None:
            self.add_error("count", "Leave the count empty when the value is not available")
        return data

    def figure(self) -> Figure:
        data = self.cleaned_data
        return Figure(data["value"], data["count"], data["break_in_series"], data["note"].strip())

    def target(self) -> str:
        """Which value the figure is for, as `opened_for` names it."""
        return f"{self.cleaned_data['period'].label}|{self.cleaned_data['area']}"

    def based_on(self) -> int | None:
        """The version of the held value the figure was typed against: None when the form was
        opened on no value, or on another period or area than the one typed."""
        data = self.cleaned_data
        return data["version"] if data["opened_for"] == self.target() else None


class NarrativeForm(forms.Form):
    text = forms.CharField(
        label="Narrative", widget=forms.Textarea(attrs={"rows": 12}),
        help_text="What is behind the figures, what is being done, and how it compares with "
        "Greater Manchester and England and Wales. Leave a blank line between paragraphs",
        error_messages={"required": "Enter the narrative"},
    )  # fmt: skip


class ImportForm(UploadForm):
    """An indicators or values file (the shared upload form) and which of the two it is."""

    max_mb = 5

    kind = forms.ChoiceField(
        label="What does the file contain?",
        choices=[("indicators", "Indicators (their definitions)"), ("values", "Values")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what the file contains",
            "invalid_choice": "Select what the file contains",
        },
    )
    field_order = ["kind", "file"]
