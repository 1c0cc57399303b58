"""The public's one-page "report a concern" form: no account, contact details optional."""

from django import forms

from safehold.cases.models import Sign
from safehold.core.postcodes import normalise_postcode, validate_postcode


class ReportForm(forms.Form):
    address_line_1 = forms.CharField(
        label="Where is this happening?",
        max_length=200,
        help_text="The address if you know it, or a description, like “the flat above the shop on Station Road”",
        error_messages={"required": "Enter the address, or describe where it is happening"},
    )
    town = forms.CharField(label="Town or city (optional)", max_length=100, required=False)
    postcode = forms.CharField(
        label="Postcode (optional)", max_length=10, required=False, validators=[validate_postcode]
    )
    signs = forms.ModelMultipleChoiceField(
        label="Which of these signs have you noticed?",
        queryset=Sign.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
    )
    what_was_seen = forms.CharField(
        label="What did you see or hear?",
        required=False,
        widget=forms.Textarea,
        help_text="Include dates and times if you can",
    )
    subject_description = forms.CharField(
        label="Who is affected, if you know? (optional)",
        required=False,
        widget=forms.Textarea,
        help_text="For example, their name, or a description of the person who lives there",
    )
    contact_name = forms.CharField(label="Your name (optional)", max_length=100, required=False)
    contact_phone = forms.CharField(
        label="Phone number or email address (optional)", max_length=100, required=False
    )

    def clean_postcode(self) -> str:
        return normalise_postcode(self.cleaned_data["postcode"])

    def clean(self):
        data = super().clean()
        if not data.get("signs") and not data.get("what_was_seen") and "signs" not in self.errors:
            self.add_error("signs", "Select at least one sign, or describe what you saw")
        return data

    def referral_fields(self) -> dict:
        """The answers as keyword arguments for `services.referrals.submit_anonymous`."""
        data = self.cleaned_data
        contact = [
            f"{label}: {data[name]}"
            for name, label in (("contact_name", "Name"), ("contact_phone", "Phone or email"))
            if data[name]
        ]
        return {
            "address_line_1": data["address_line_1"],
            "town": data["town"],
            "postcode": data["postcode"],
            "signs": data["signs"],
            "what_was_seen": data["what_was_seen"],
            "subject_description": data["subject_description"],
            "contact_details": "\n".join(contact),
        }
