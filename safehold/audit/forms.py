from django import forms
from django.contrib.auth import get_user_model

from safehold.core.forms import GovukDateField

User = get_user_model()


class AuditSearchForm(forms.Form):
    actor = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label="User", empty_label="Any user"
    )
    record = forms.CharField(
        required=False,
        label="Case, person or place",
        help_text="A case reference (for example EXP-2026-0004), a person's name, an address "
        "or postcode, or a record's id",
        max_length=100,
    )
    date_from = GovukDateField(required=False, label="From", label_noun="the start date")
    date_to = GovukDateField(required=False, label="To", label_noun="the end date")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = User.objects.filter(agency=user.agency_id).order_by(
            "full_name"
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        return data
