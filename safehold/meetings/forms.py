from django import forms

from safehold.accounts.models import Agency, User
from safehold.core.forms import GovukDateField
from safehold.sharing.choices import DisclosureLevel


class MeetingForm(forms.Form):
    """A meeting of a series: its date, who attends and who sent apologies."""

    held_on = GovukDateField(label="Date of the meeting", label_noun="the date of the meeting")
    attending_agencies = forms.ModelMultipleChoiceField(
        label="Which agencies attend?",
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the agencies that attend"},
    )
    apologies = forms.CharField(
        label="Apologies (optional)", required=False, max_length=2000, widget=forms.Textarea
    )

    def __init__(self, *args, series, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attending_agencies"].queryset = series.agreement.parties.order_by("name")


class ItemForm(forms.Form):
    title = forms.CharField(
        label="Title of the item", max_length=200,
        error_messages={"required": "Enter the title of the item"},
    )  # fmt: skip


class FlagCaseForm(forms.Form):
    """The case's holder chooses the meeting and what the attending agencies are given."""

    meeting = forms.ChoiceField(
        label="Which meeting?", widget=forms.RadioSelect,
        error_messages={"required": "Select the meeting"},
    )  # fmt: skip
    level = forms.ChoiceField(
        label="What do the agencies at the meeting see?", choices=DisclosureLevel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the agencies at the meeting see"},
    )  # fmt: skip
    keep_sharing = forms.BooleanField(
        label="Keep sharing the case after the meeting's record is closed", required=False
    )

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.meetings = {str(m.pk): m for m in meetings}
        self.fields["meeting"].choices = [(pk, str(m)) for pk, m in self.meetings.items()]

    def clean_meeting(self):
        return self.meetings[self.cleaned_data["meeting"]]


class MinuteForm(forms.Form):
    text = forms.CharField(
        label="Minutes", max_length=20000, widget=forms.Textarea,
        error_messages={"required": "Enter the minutes of the item"},
    )  # fmt: skip


class ActionForm(forms.Form):
    """An action agreed at the meeting: what, by whom (a person or an agency), by when."""

    description = forms.CharField(
        label="What is to be done?", max_length=2000, widget=forms.Textarea,
        error_messages={"required": "Enter what is to be done"},
    )  # fmt: skip
    owning_agency = forms.ModelChoiceField(
        label="Which agency owns it?", queryset=Agency.objects.none(),
        error_messages={"required": "Select the agency that owns the action"},
    )  # fmt: skip
    owner = forms.ModelChoiceField(
        label="Who owns it? (optional)", queryset=User.objects.none(), required=False,
        help_text="Leave empty for the agency as a whole",
    )  # fmt: skip
    item = forms.ChoiceField(label="Which item is it about? (optional)", required=False)
    due_on = GovukDateField(label="Due date", label_noun="the due date")

    def __init__(self, *args, meeting, items, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = meeting.attending_agencies.order_by("name")
        self.fields["owning_agency"].queryset = agencies
        self.fields["owner"].queryset = User.objects.filter(
            agency__in=agencies, is_active=True
        ).order_by("full_name")
        self.items = {str(i.pk): i for i in items}
        self.fields["item"].choices = [("", "None")] + [
            (pk, i.title or f"Case {i.case.reference}") for pk, i in self.items.items()
        ]

    def clean_item(self):
        return self.items.get(self.cleaned_data["item"] or "")


class FlagByReferenceForm(forms.Form):
    """From the meeting's page: one of the user's agency's cases, by its reference."""

    reference = forms.CharField(
        label="Case reference", max_length=20, help_text="For example, EXP-2023-0012",
        error_messages={"required": "Enter the reference of the case"},
    )  # fmt: skip
    level = FlagCaseForm.base_fields["level"]
    keep_sharing = FlagCaseForm.base_fields["keep_sharing"]
