"""Forms for agreements, sharing a record, access requests and the who-else search."""

from django import forms
from django.core.validators import FileExtensionValidator

from safehold.accounts.models import Agency
from safehold.core import dates
from safehold.core.forms import GovukDateField
from safehold.sharing.choices import DATA_CATEGORIES, LAWFUL_BASES, LEGAL_GATEWAYS, DisclosureLevel
from safehold.sharing.selectors import live_agreements_between

DATE_HINT = "For example, 1 4 2027"
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


def _choices(values: list[str]) -> list[tuple[str, str]]:
    return [(v, v) for v in values]


class AgreementChoiceField(forms.ModelChoiceField):
    """Agreements as radios, each labelled with its title and its parties."""

    widget = forms.RadioSelect

    def label_from_instance(self, agreement) -> str:
        return f"{agreement.title} ({', '.join(p.name for p in agreement.parties.all())})"


class AgreementForm(forms.Form):
    """A new agreement. The signed-in user's agency is always a party and manages it."""

    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter the title"}
    )
    purpose = forms.CharField(
        label="What is the information shared for?",
        widget=forms.Textarea,
        error_messages={"required": "Enter what the information is shared for"},
    )
    parties = forms.ModelMultipleChoiceField(
        label="Which other organisations are party to it?",
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one other organisation"},
    )
    lawful_basis = forms.ChoiceField(
        label="Lawful basis",
        choices=_choices(LAWFUL_BASES),
        widget=forms.RadioSelect,
        error_messages={"required": "Select the lawful basis"},
    )
    legal_gateway = forms.ChoiceField(
        label="Legal gateway",
        choices=_choices(LEGAL_GATEWAYS),
        widget=forms.RadioSelect,
        error_messages={"required": "Select the legal gateway"},
    )
    special_category_condition = forms.CharField(
        label="Condition for special category or criminal offence data (optional)",
        max_length=200,
        required=False,
        help_text="For example, DPA 2018 Schedule 1, paragraph 10: preventing or detecting "
        "unlawful acts",
    )
    data_categories = forms.MultipleChoiceField(
        label="What kinds of information are shared?",
        choices=DATA_CATEGORIES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the kinds of information shared"},
    )
    start_date = GovukDateField(
        label="Date it comes into force", label_noun="the date it comes into force",
        help_text=DATE_HINT,
    )  # fmt: skip
    review_date = GovukDateField(
        label="Review date", label_noun="the review date", help_text=DATE_HINT
    )
    end_date = GovukDateField(
        label="End date (optional)", label_noun="the end date", required=False,
        help_text="Leave blank if it runs until it is ended",
    )  # fmt: skip

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parties"].queryset = Agency.objects.exclude(pk=agency.pk).order_by("name")

    def clean(self):
        data = super().clean()
        start, review, end = (data.get(k) for k in ("start_date", "review_date", "end_date"))
        if start and review and review < start:
            self.add_error(
                "review_date", "The review date must be after the date it comes into force"
            )
        if start and end and end < start:
            self.add_error("end_date", "The end date must be after the date it comes into force")
        return data


class SignatoryForm(forms.Form):
    agency = forms.ModelChoiceField(
        label="Signed for",
        queryset=Agency.objects.none(),
        empty_label=None,
        error_messages={
            "required": "Select the organisation they signed for",
            "invalid_choice": "Select an organisation you may record a signatory for",
        },
    )
    name = forms.CharField(
        label="Full name", max_length=200, error_messages={"required": "Enter their full name"}
    )
    job_title = forms.CharField(
        label="Job title", max_length=200, error_messages={"required": "Enter their job title"}
    )
    signed_on = GovukDateField(
        label="Date signed", label_noun="the date signed", past_only=True, help_text=DATE_HINT
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class AgreementDatesForm(forms.Form):
    review_date = GovukDateField(
        label="Next review date", label_noun="the next review date", help_text=DATE_HINT
    )
    end_date = GovukDateField(
        label="End date (optional)", label_noun="the end date", required=False,
        help_text="To end the agreement, enter the last day it is in force. Every record shared "
        "under it stops being shared after that day.",
    )  # fmt: skip

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.agreement = agreement

    def clean(self):
        data = super().clean()
        end = data.get("end_date")
        if end and end < self.agreement.start_date:
            self.add_error(
                "end_date",
                f"The end date must be on or after {self.agreement.start_date:%-d %B %Y}, "
                "when the agreement came into force",
            )
        return data


class DocumentForm(forms.Form):
    document = forms.FileField(
        label="Signed agreement",
        help_text="A PDF, up to 10MB",
        validators=[FileExtensionValidator(["pdf"], message="The selected file must be a PDF")],
        error_messages={"required": "Select the signed agreement"},
    )

    def clean_document(self):
        document = self.cleaned_data["document"]
        if document.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 10MB")
        if not document.read(5).startswith(b"%PDF"):
            raise forms.ValidationError("The selected file must be a PDF")
        document.seek(0)
        return document


class ShareForm(forms.Form):
    """Share a record with another party to a live agreement, at a level."""

    to_agency = forms.ModelChoiceField(
        label="Who do you want to share it with?",
        queryset=Agency.objects.none(),
        error_messages={
            "required": "Select the organisation to share it with",
            "invalid_choice": "Select an organisation that is a party to a live agreement",
        },
    )
    agreement = AgreementChoiceField(
        label="Under which information sharing agreement?",
        queryset=None,
        error_messages={
            "required": "Select the agreement you are sharing it under",
            "invalid_choice": "Select an agreement that is in force",
        },
    )
    level = forms.ChoiceField(
        label="What do you want to share?",
        choices=DisclosureLevel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what you want to share"},
        help_text="With the name only, they can find that your organisation is working with "
        "this person and whom to contact, and ask you for the full record",
    )
    purpose = forms.CharField(
        label="Why are you sharing it?",
        widget=forms.Textarea,
        error_messages={"required": "Enter why you are sharing it"},
        help_text="They will see this, and it is kept in the audit trail",
    )
    expires_on = GovukDateField(
        label="Stop sharing on (optional)", label_noun="the date to stop sharing", required=False,
        help_text="Leave blank to share until you stop sharing or the agreement ends",
    )  # fmt: skip

    def __init__(self, *args, owner, agreements, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.fields["agreement"].queryset = agreements
        self.fields["to_agency"].queryset = (
            Agency.objects.filter(agreements__in=agreements).exclude(pk=owner.pk).distinct()
        ).order_by("name")

    def clean(self):
        data = super().clean()
        agency, agreement = data.get("to_agency"), data.get("agreement")
        if agency and agreement:
            if not live_agreements_between(self.owner, agency).filter(pk=agreement.pk).exists():
                self.add_error(
                    "agreement",
                    f"Select an agreement that {agency.name} is a party to",
                )
        expires_on = data.get("expires_on")
        if expires_on and expires_on < dates.today():
            self.add_error("expires_on", "The date to stop sharing must be today or in the future")
        return data


class ReasonForm(forms.Form):
    """A reason, for stopping sharing, asking for access, or declining a request."""

    reason = forms.CharField(label="Reason", widget=forms.Textarea)

    def __init__(self, *args, label: str, required_message: str, help_text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        field.label, field.help_text = label, help_text
        field.error_messages["required"] = required_message


def access_request_form(data, *, owner) -> ReasonForm:
    """The form asking an agency for the full record: why, which the holder reads."""
    return ReasonForm(
        data,
        label="Why do you need the full record?",
        required_message="Enter why you need the full record",
        help_text=f"{owner.name} will see this when they decide",
    )


class ApproveForm(forms.Form):
    agreement = AgreementChoiceField(
        label="Under which information sharing agreement?",
        queryset=None,
        error_messages={
            "required": "Select the agreement you are sharing it under",
            "invalid_choice": "Select an agreement that is in force",
        },
    )
    expires_on = GovukDateField(
        label="Stop sharing on (optional)", label_noun="the date to stop sharing", required=False,
        help_text="Leave blank to share until you stop sharing or the agreement ends",
    )  # fmt: skip

    def __init__(self, *args, agreements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = agreements

    def clean_expires_on(self):
        expires_on = self.cleaned_data.get("expires_on")
        if expires_on and expires_on < dates.today():
            raise forms.ValidationError("The date to stop sharing must be today or in the future")
        return expires_on
