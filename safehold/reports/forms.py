"""The report's period and money figures, and the settings form, in GOV.UK wording."""

from django import forms

from safehold.cases.models import Programme
from safehold.core.forms import GovukDateField
from safehold.reports.choices import SavingRounding


class _PeriodMixin:
    def clean(self):
        data = super().clean()
        start, end = data.get(self.start_field), data.get(self.end_field)
        if start and end and end < start:
            self.add_error(
                self.end_field, "The end date must be the same as or after the start date"
            )
        return data


OWN, PARTNERSHIP = "own", "partnership"


class EvaluationForm(_PeriodMixin, forms.Form):
    """The report's period (by referral date), whose cases (where the reader may see the
    partnership's figures) and, if not set for the period, its costs."""

    start_field, end_field = "date_from", "date_to"
    programme = forms.ModelChoiceField(
        queryset=Programme.objects.order_by("name"), empty_label=None, label="Programme"
    )
    date_from = GovukDateField(
        label="Cases referred from", label_noun="the start date", help_text="For example, 1 1 2022"
    )
    date_to = GovukDateField(
        label="Cases referred up to", label_noun="the end date", help_text="For example, 31 8 2023"
    )
    average_void_cost = forms.DecimalField(
        label="Average void cost of a property (£)",
        required=False, min_value=0, max_digits=12, decimal_places=4,
        help_text="Leave empty to use the figure set for this period",
    )  # fmt: skip
    service_cost = forms.DecimalField(
        label="Cost of the service for the period (£)",
        required=False, min_value=0, max_digits=12, decimal_places=2,
        help_text="Leave empty to use the figure set for this period",
    )  # fmt: skip
    scope = forms.ChoiceField(
        label="Whose cases",
        required=False,
        widget=forms.RadioSelect,
        initial=OWN,
        choices=[
            (OWN, "Cases held by or shared with your organisation"),
            (
                PARTNERSHIP,
                "Every case of the partnership: counts only, a count of 1 to 4 not shown",
            ),
        ],
    )

    def __init__(self, *args, partnership: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not partnership:
            del self.fields["scope"]

    def clean_scope(self):
        return self.cleaned_data.get("scope") or OWN


class EvaluationSettingsForm(_PeriodMixin, forms.Form):
    """The money figures for one programme and period."""

    start_field, end_field = "period_start", "period_end"
    programme = forms.ModelChoiceField(queryset=Programme.objects.none(), empty_label=None)
    period_start = GovukDateField(label="Period starts", label_noun="the start of the period")
    period_end = GovukDateField(label="Period ends", label_noun="the end of the period")
    average_void_cost = forms.DecimalField(
        label="Average void cost of a property (£)", min_value=0, max_digits=12, decimal_places=4,
        error_messages={"required": "Enter the average void cost"},
        help_text="Up to 4 decimal places, for example 4659.10",
    )  # fmt: skip
    service_cost = forms.DecimalField(
        label="Cost of the service for the period (£)", min_value=0, max_digits=12,
        decimal_places=2, error_messages={"required": "Enter the cost of the service"},
    )  # fmt: skip
    saving_rounding = forms.ChoiceField(
        label="Round the saving", choices=SavingRounding.choices, widget=forms.RadioSelect,
        initial=SavingRounding.PENNY,
        error_messages={"required": "Select how to round the saving"},
    )  # fmt: skip

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
