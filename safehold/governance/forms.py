"""Forms for subject access requests, legal holds, retention review and erasure."""

import datetime

from django import forms

from safehold.core import dates
from safehold.core.forms import GovukDateField

NO_PERSONAL_DETAILS = "Do not include names or other personal details: this is kept after erasure"


class SubjectAccessRequestForm(forms.Form):
    received_on = GovukDateField(
        label="When was the request received?",
        label_noun="the date the request was received",
        past_only=True,
        help_text="For example, 27 3 2026. The one-month time limit starts on this day.",
    )
    requested_by = forms.CharField(
        label="Who made the request, and how?",
        max_length=200,
        help_text="For example, “The person, by email” or “A solicitor acting for them, by letter”",
        error_messages={"required": "Enter who made the request"},
    )


class HoldForm(forms.Form):
    reason = forms.CharField(
        label="Why is the record being held?",
        widget=forms.Textarea,
        help_text="For example, a claim, an inquiry or a complaint to the Information "
        "Commissioner, with its reference",
        error_messages={"required": "Enter why the record is being held"},
    )


class LiftHoldForm(forms.Form):
    reason = forms.CharField(
        label="Why is the hold being lifted?",
        widget=forms.Textarea,
        error_messages={"required": "Enter why the hold is being lifted"},
    )


class RetainForm(forms.Form):
    reason = forms.CharField(
        label="Why should the record be kept?",
        widget=forms.Textarea,
        help_text=NO_PERSONAL_DETAILS,
        error_messages={"required": "Enter why the record should be kept"},
    )
    next_review_on = GovukDateField(
        label="When should it be reviewed again?",
        label_noun="the date of the next review",
        help_text="For example, 27 3 2027",
    )

    def clean_next_review_on(self) -> datetime.date:
        value = self.cleaned_data["next_review_on"]
        if value is not None and value <= dates.today():
            raise forms.ValidationError("The date of the next review must be in the future")
        return value


class EraseForm(forms.Form):
    reason = forms.CharField(
        label="Why is the record being erased?",
        widget=forms.Textarea,
        help_text="For example, “Retention period ended; no reason to keep it” or “Erasure "
        f"request upheld”. {NO_PERSONAL_DETAILS}.",
        error_messages={"required": "Enter why the record is being erased"},
    )


class PolicyForm(forms.Form):
    """One period, in months, for each retention policy."""

    def __init__(self, *args, policies, labels, **kwargs):
        super().__init__(*args, **kwargs)
        self.policies = policies
        for record_type, policy in policies.items():
            self.fields[record_type] = forms.IntegerField(
                label=f"{labels[record_type]}: months to keep, from {policy.starts_from}",
                min_value=1,
                max_value=1200,
                initial=policy.period_months,
                error_messages={
                    "required": "Enter the number of months",
                    "invalid": "The number of months must be a whole number, like 72",
                    "min_value": "The number of months must be 1 or more",
                    "max_value": "The number of months must be 1200 or fewer",
                },
            )
