from django import forms

from safehold.notifications.choices import NotificationKind


class PreferencesForm(forms.Form):
    email_kinds = forms.MultipleChoiceField(
        label="Which notices do you also want by e-mail?",
        help_text="Every notice is in Safehold. E-mails hold a reference and a link only. "
        "Select all that apply.",
        choices=NotificationKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
