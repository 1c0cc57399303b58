"""The review pages' forms, in GOV.UK wording: a decision on a pair and its reason, and the
reason for reversing a decision."""

from django import forms

from safehold.linkage.choices import Decision

REASON_MAX = 1000


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Are these records the same person?",
        choices=[
            (Decision.SAME, "Yes, the same person"),
            (Decision.DIFFERENT, "No, not the same person"),
            (Decision.UNSURE, "Not sure"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether the records are the same person",
            "invalid_choice": "Select whether the records are the same person",
        },
    )
    reason = forms.CharField(
        label="Why",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What you checked. Do not copy names, dates of birth or addresses here.",
        error_messages={
            "required": "Enter the reason for your decision",
            "max_length": f"The reason must be {REASON_MAX} characters or fewer",
        },
    )


class ReverseForm(forms.Form):
    reason = forms.CharField(
        label="Why are you reversing this decision?",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": "Enter the reason for reversing the decision",
            "max_length": f"The reason must be {REASON_MAX} characters or fewer",
        },
    )
