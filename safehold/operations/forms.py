"""The operation pages' forms; the services check the rest (who, whose premises)."""

import datetime
from decimal import Decimal

from django import forms
from django.utils import timezone

from safehold.accounts.models import Agency
from safehold.cases.choices import Consent, ExploitationType, Urgency
from safehold.core.forms import GovukDateField
from safehold.operations.choices import DrugUnit, OperationKind, Phase

_COUNT = {"min_value": 0, "initial": 0, "required": False}


def _count(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, **_COUNT,
        error_messages={"invalid": f"{label} must be a whole number",
                        "min_value": f"{label} must be 0 or more"},
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-4"}),
    )  # fmt: skip


def _moment(day: datetime.date, time: datetime.time | None) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time or datetime.time(0, 0)))


class OperationForm(forms.Form):
    """Plan an operation."""

    name = forms.CharField(
        label="Name of the operation", max_length=200,
        error_messages={"required": "Enter the name of the operation"},
    )  # fmt: skip
    kind = forms.ChoiceField(
        label="Kind of operation", choices=OperationKind.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of operation"},
    )  # fmt: skip
    starts_on = GovukDateField(label="Date", label_noun="the date of the operation")
    starts_time = forms.TimeField(
        label="Start time (optional)", required=False, help_text="For example, 06:00",
        error_messages={"invalid": "Enter a time like 06:00"},
    )  # fmt: skip
    partners = forms.ModelMultipleChoiceField(
        label="Partner agencies taking part (optional)", queryset=Agency.objects.none(),
        required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Their users see the operation, its briefing and its results.",
    )  # fmt: skip
    phase = forms.ChoiceField(
        label="Phase (clear, hold, build)", choices=Phase.choices, widget=forms.RadioSelect,
        initial=Phase.CLEAR, error_messages={"required": "Select the phase"},
    )  # fmt: skip
    area_code = forms.CharField(
        label="Ward or LSOA code (optional)", required=False, max_length=9,
        help_text="For example, E05000787", widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
    )  # fmt: skip
    area_description = forms.CharField(
        label="Area (optional)", required=False, max_length=200,
        help_text="For example, Mottram Estate, Stockport town centre",
    )  # fmt: skip
    briefing = forms.CharField(
        label="Briefing notes (optional)", required=False, widget=forms.Textarea,
        help_text="Only users of the agencies taking part see these.",
    )  # fmt: skip

    def __init__(self, *args, agency_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = Agency.objects.exclude(pk=agency_id).order_by("name")

    def clean_area_code(self):
        from safehold.geography.models import Lsoa, Ward

        code = self.cleaned_data["area_code"].strip().upper()
        self.ward = self.lsoa = None
        if code:
            self.lsoa = Lsoa.objects.select_related("ward").filter(code=code).first()
            self.ward = Ward.objects.filter(code=code).first()
            if self.lsoa is None and self.ward is None:
                raise forms.ValidationError("Enter a ward or LSOA code that Safehold knows")
        return code

    def starts_at(self) -> datetime.datetime:
        return _moment(self.cleaned_data["starts_on"], self.cleaned_data.get("starts_time"))


class ResultsForm(forms.Form):
    """Results at one premises (or for the whole operation)."""

    premises = forms.ChoiceField(label="Where", required=False)
    warrants_executed = _count("Warrants executed")
    offences = forms.CharField(
        label="Arrests (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One line for each arrest: the offence, for example "
        "“possession with intent to supply class A”.",
    )  # fmt: skip
    drug = forms.CharField(label="Drug seized (optional)", required=False, max_length=100,
                           help_text="For example, crack cocaine")  # fmt: skip
    drug_quantity = forms.DecimalField(
        label="Quantity", required=False, min_value=Decimal("0.01"), max_digits=10,
        decimal_places=2, error_messages={"invalid": "Enter the quantity as a number, like 12.5"},
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-5", "inputmode": "decimal"}),
    )  # fmt: skip
    drug_unit = forms.ChoiceField(
        label="Unit", choices=DrugUnit.choices, initial=DrugUnit.GRAMS, required=False
    )
    cash_seized = forms.DecimalField(
        label="Cash seized, in pounds (optional)", required=False, min_value=0, max_digits=12,
        decimal_places=2, error_messages={"invalid": "Enter the cash seized in pounds, like 1250.00"},
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10", "inputmode": "decimal"}),
    )  # fmt: skip
    phones_seized = _count("Phones seized")
    weapons_seized = _count("Weapons seized")
    other_items_seized = _count("Other items seized")
    other_items_description = forms.CharField(
        label="What other items (optional)", required=False, max_length=500
    )
    vulnerable_residents_found = _count("Vulnerable residents found")
    closure_orders_made = _count("Closure orders made")
    letters_delivered = _count("Reassurance letters delivered")
    doors_knocked = _count("Doors knocked")

    def __init__(self, *args, premises_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["premises"].choices = [("", "The whole operation"), *premises_choices]

    def clean(self):
        data = super().clean()
        if data.get("drug") and not data.get("drug_quantity"):
            self.add_error("drug_quantity", "Enter the quantity of drugs seized")
        if data.get("drug_quantity") and not data.get("drug"):
            self.add_error("drug", "Enter the type of drug seized")
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        counts = {
            name: data.get(name) or 0
            for name in (
                "warrants_executed", "phones_seized", "weapons_seized", "other_items_seized",
                "vulnerable_residents_found", "closure_orders_made", "letters_delivered",
                "doors_knocked",
            )
        }  # fmt: skip
        drugs = []
        if data.get("drug"):
            drugs.append((data["drug"], data["drug_quantity"], data["drug_unit"] or DrugUnit.GRAMS))
        return {
            "offences": data.get("offences", "").splitlines(),
            "drugs": drugs,
            "cash_seized": data.get("cash_seized") or Decimal("0"),
            "other_items_description": data.get("other_items_description", ""),
            **counts,
        }


class ReferralForm(forms.Form):
    """A safeguarding referral made during the operation (goes to the triage queue)."""

    premises = forms.ChoiceField(label="Where", required=False)
    subject_given_name = forms.CharField(
        label="First name (optional)", required=False, max_length=100
    )
    subject_family_name = forms.CharField(
        label="Last name (optional)", required=False, max_length=100
    )
    subject_description = forms.CharField(
        label="Description of the person (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )  # fmt: skip
    what_was_seen = forms.CharField(
        label="What was seen or heard", widget=forms.Textarea,
        error_messages={"required": "Enter what was seen or heard"},
    )  # fmt: skip
    suspected_types = forms.MultipleChoiceField(
        label="Kinds of exploitation suspected (optional)", choices=ExploitationType.choices,
        required=False, widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    urgency = forms.ChoiceField(
        label="How urgent is it?", choices=Urgency.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select how urgent it is"},
    )  # fmt: skip
    consent = forms.ChoiceField(
        label="Does the person know about this referral and agree to it?", choices=Consent.choices,
        widget=forms.RadioSelect, error_messages={"required": "Select whether the person knows and agrees"},
    )  # fmt: skip

    def __init__(self, *args, premises_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["premises"].choices = [("", "Not at a target premises"), *premises_choices]


class ClosureNoticeForm(forms.Form):
    """A closure notice served during the operation, recorded on its case."""

    premises = forms.ChoiceField(label="Premises", required=False)
    case_reference = forms.CharField(
        label="Case reference", max_length=20, help_text="For example, EXP-2024-0012",
        error_messages={"required": "Enter the reference of the case"},
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
    )  # fmt: skip
    served_on = GovukDateField(
        label="Date served", label_noun="the date the notice was served", past_only=True
    )
    served_time = forms.TimeField(
        label="Time served", help_text="The court must hear it within 48 hours. For example, 09:15",
        error_messages={"required": "Enter the time the notice was served", "invalid": "Enter a time like 09:15"},
    )  # fmt: skip

    def __init__(self, *args, premises_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["premises"].choices = [("", "Not at a target premises"), *premises_choices]

    def served_at(self) -> datetime.datetime:
        return _moment(self.cleaned_data["served_on"], self.cleaned_data["served_time"])


class SummaryForm(forms.Form):
    """The period and area of a results summary."""

    start = GovukDateField(label="From", label_noun="the first date", required=False)
    end = GovukDateField(label="To", label_noun="the last date", required=False)
    area = forms.CharField(
        label="Ward or LSOA code (optional)", required=False, max_length=9,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
    )  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The last date must be the same as or after the first date")
        return data
