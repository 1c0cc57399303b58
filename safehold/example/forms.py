from django import forms

from safehold.core.forms import GovukDateField
from safehold.example.choices import Outcome


class VisitForm(forms.Form):
    """What a caseworker records of a visit; the service checks the rest (who, the date)."""

    visited_on = GovukDateField(label="Date of the visit", label_noun="the date of the visit")
    outcome = forms.ChoiceField(
        label="What happened?",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what happened on the visit"},
    )
    note = forms.CharField(
        label="Notes (optional)", required=False, max_length=2000, widget=forms.Textarea
    )
