from django import forms

from safehold.cases.choices import EnforcementKind
from safehold.enforcement.choices import Recipient, Section


class BundleForm(forms.Form):
    """Who the bundle is for (recorded on the audit event) and which parts it holds."""

    recipients = forms.MultipleChoiceField(
        label="Who is the bundle for?",
        help_text="Select all that apply. The build is recorded with who it is for.",
        choices=Recipient.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select who the bundle is for"},
    )
    sections = forms.MultipleChoiceField(
        label="What should the bundle hold?",
        help_text="The cover sheet and the index are always in it.",
        choices=Section.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (value, label)
            for value, label in Section.choices
            if value != Section.SCOTT or kind == EnforcementKind.CIVIL_INJUNCTION
        ]
        self.fields["sections"].choices = choices
        self.fields["sections"].initial = [value for value, _ in choices]
