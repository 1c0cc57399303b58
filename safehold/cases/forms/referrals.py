"""The partner referral's question pages: one form per page, in the order they are asked.

Each form reads its initial values from the draft (`initial_from`) and gives back the draft
fields it answers (`draft_fields`), ready for `services.referrals.save_draft`. A form built with
`partial=True` is the "Save and come back later" version: nothing is required, but what is
entered must still make sense (a real date, a real postcode).
"""

from django import forms

from safehold.cases.choices import Consent, ExploitationType, Urgency
from safehold.cases.models import Referral, Sign
from safehold.core.forms import GovukDateField
from safehold.core.postcodes import normalise_postcode, validate_postcode

YES_NO = [("yes", "Yes"), ("no", "No")]


class QuestionForm(forms.Form):
    """A question page. Subclasses list the model fields they answer in `fields_answered`."""

    fields_answered: tuple[str, ...] = ()

    def __init__(self, *args, partial: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.partial = partial
        if partial:
            for field in self.fields.values():
                field.required = False

    @classmethod
    def for_referral(cls, referral: Referral | None, *args, **kwargs) -> "QuestionForm":
        """The form for this draft (some questions depend on earlier answers)."""
        return cls(*args, **kwargs)

    @classmethod
    def initial_from(cls, referral: Referral) -> dict:
        return {name: getattr(referral, name) for name in cls.fields_answered}

    @staticmethod
    def is_answered(referral: Referral) -> bool:
        raise NotImplementedError

    def draft_fields(self) -> dict:
        """The cleaned answers as keyword arguments for `save_draft` (which also takes `signs`)."""
        return {name: self.cleaned_data[name] for name in self.fields_answered}


class PersonForm(QuestionForm):
    fields_answered = ("subject_known",)

    subject_known = forms.TypedChoiceField(
        label="Do you know who the person is?",
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        empty_value=None,
        widget=forms.RadioSelect,
        help_text="For example, their name",
        error_messages={"required": "Select yes if you know who the person is"},
    )

    @classmethod
    def initial_from(cls, referral: Referral) -> dict:
        known = referral.subject_known
        return {"subject_known": None if known is None else ("yes" if known else "no")}

    @staticmethod
    def is_answered(referral: Referral) -> bool:
        return referral.subject_known is not None


class AboutForm(QuestionForm):
    """Their name and date of birth when the referrer knows who they are, else a description.

    A separate page rather than a conditional reveal: GOV.UK Frontend's reveal marks radios with
    aria-expanded, which accessibility checkers reject.
    """

    fields_answered = (
        "subject_given_name",
        "subject_family_name",
        "subject_date_of_birth",
        "subject_description",
    )

    subject_given_name = forms.CharField(
        label="First name",
        max_length=100,
        error_messages={"required": "Enter the person's first name"},
    )
    subject_family_name = forms.CharField(
        label="Last name",
        max_length=100,
        error_messages={"required": "Enter the person's last name"},
    )
    subject_date_of_birth = GovukDateField(
        label="Date of birth (optional)",
        required=False,
        label_noun="date of birth",
        past_only=True,
        help_text="For example, 27 3 1985",
    )
    subject_description = forms.CharField(
        label="Describe the person",
        widget=forms.Textarea,
        help_text="For example, their age, what they look like, or what people call them",
        error_messages={"required": "Describe the person"},
    )

    def __init__(self, *args, known: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.known = known
        shown = (
            {"subject_given_name", "subject_family_name", "subject_date_of_birth"}
            if known
            else {"subject_description"}
        )
        for name in set(self.fields) - shown:
            del self.fields[name]

    @classmethod
    def for_referral(cls, referral: Referral | None, *args, **kwargs) -> "AboutForm":
        return cls(*args, known=bool(referral and referral.subject_known), **kwargs)

    @staticmethod
    def is_answered(referral: Referral) -> bool:
        if referral.subject_known:
            return bool(referral.subject_given_name and referral.subject_family_name)
        return bool(referral.subject_description)

    def draft_fields(self) -> dict:
        # Keep only the answers that go with "do you know who they are?", so nothing stale is sent.
        if self.known:
            return {
                **{name: self.cleaned_data[name] for name in self.fields},
                "subject_description": "",
            }
        return {
            "subject_description": self.cleaned_data["subject_description"],
            "subject_given_name": "",
            "subject_family_name": "",
            "subject_date_of_birth": None,
        }


class AddressForm(QuestionForm):
    fields_answered = ("address_line_1", "address_line_2", "town", "postcode")

    address_line_1 = forms.CharField(
        label="Address line 1",
        max_length=200,
        error_messages={"required": "Enter address line 1, typically the building and street"},
    )
    address_line_2 = forms.CharField(
        label="Address line 2 (optional)", max_length=200, required=False
    )
    town = forms.CharField(label="Town or city (optional)", max_length=100, required=False)
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        validators=[validate_postcode],
        error_messages={"required": "Enter a postcode, like SK1 3XE"},
    )

    @staticmethod
    def is_answered(referral: Referral) -> bool:
        return bool(referral.address_line_1 and referral.postcode)

    def clean_postcode(self) -> str:
        return normalise_postcode(self.cleaned_data["postcode"])


class SignsForm(QuestionForm):
    fields_answered = ("what_was_seen",)

    signs = forms.ModelMultipleChoiceField(
        label="Which of these signs have you seen? (optional)",
        queryset=Sign.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
    )
    what_was_seen = forms.CharField(
        label="What did you see or hear?",
        widget=forms.Textarea,
        help_text="Include dates, times and who was there, if you know",
        error_messages={"required": "Describe what you saw or heard"},
    )

    @classmethod
    def initial_from(cls, referral: Referral) -> dict:
        return {**super().initial_from(referral), "signs": list(referral.signs.all())}

    @staticmethod
    def is_answered(referral: Referral) -> bool:
        return bool(referral.what_was_seen)

    def draft_fields(self) -> dict:
        return {**super().draft_fields(), "signs": self.cleaned_data["signs"]}


class ExploitationTypesForm(QuestionForm):
    fields_answered = ("suspected_types",)

    suspected_types = forms.MultipleChoiceField(
        label="What kind of exploitation do you suspect?",
        choices=ExploitationType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply. If you are not sure, select Other.",
        error_messages={"required": "Select at least one kind of exploitation, or select Other"},
    )

    @staticmethod
    def is_answered(referral: Referral) -> bool:
        return bool(referral.suspected_types)


class ConsentForm(QuestionForm):
    fields_answered = ("consent",)

    consent = forms.ChoiceField(
        label="Does the person know about this referral, and do they agree to it?",
        choices=Consent.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether the person knows about this referral and agrees to it"
        },
    )

    @staticmethod
    def is_answered(referral: Referral) -> bool:
        return bool(referral.consent)


class UrgencyForm(QuestionForm):
    fields_answered = ("urgency", "risks_to_staff")

    urgency = forms.ChoiceField(
        label="How urgent is this?",
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        help_text="If someone is in immediate danger, call 999 now",
        error_messages={"required": "Select how urgent this is"},
    )
    risks_to_staff = forms.CharField(
        label="Are there any risks to staff visiting? (optional)",
        required=False,
        widget=forms.Textarea,
        help_text="For example, dogs, weapons, or people at the address known to be violent",
    )

    @staticmethod
    def is_answered(referral: Referral) -> bool:
        return bool(referral.urgency)
