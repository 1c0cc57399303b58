"""The intelligence pages' forms; the services check the rest (who, what the status allows)."""

from django import forms

from safehold.accounts.choices import AgencyKind
from safehold.accounts.models import Agency
from safehold.core.forms import GovukDateField
from safehold.intelligence.choices import (
    ASSESSMENT_HINTS,
    ASSESSMENT_LABELS,
    GRADED_STATUSES,
    HANDLING_HINTS,
    HANDLING_LABELS,
    SOURCE_EVALUATION_HINTS,
    SOURCE_EVALUATION_LABELS,
    HandlingCode,
    IntelligenceAssessment,
    MentionKind,
    SourceEvaluation,
    SourceRelationship,
    Status,
)

# Rows of "people, phones, vehicles…" the form offers: enough for one report; the API and
# the command line take more.
MENTION_ROWS = 6


def _labelled(choices, labels: dict[str, str]) -> list[tuple[str, str]]:
    return [(value, labels[value]) for value in choices.values]


class HintedRadioSelect(forms.RadioSelect):
    """Radios with a hint under each choice (GOV.UK radio item hints): `hints` by value."""

    def __init__(self, *args, hints: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.hints = hints

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["hint"] = self.hints.get(str(value), "")
        return option


class SubmitForm(forms.Form):
    """What a partner knows: what, where, when, who, how they know it, and what it names."""

    what = forms.CharField(
        label="What happened, or what do you know?", widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000, error_messages={"required": "Enter what happened or what you know"},
        help_text="Give as much detail as you can: what you saw or were told, and anything "
        "unusual. Do not guess.",
    )  # fmt: skip
    where = forms.CharField(
        label="Where? (optional)", required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="An address, a street, a landmark or an area.",
    )  # fmt: skip
    occurred_on = GovukDateField(
        label="When did it happen?", label_noun="the date it happened", past_only=True,
        help_text="If it happened over a period, give the first day. For example, 27 3 2026",
    )  # fmt: skip
    occurred_time = forms.TimeField(
        label="Time (optional)", required=False, help_text="For example, 21:30",
        error_messages={"invalid": "Enter a time like 21:30"},
        widget=forms.TimeInput(attrs={"class": "govuk-input govuk-input--width-5"}),
    )  # fmt: skip
    occurred_until = GovukDateField(
        label="Until (optional)", label_noun="the end date", required=False, past_only=True,
        help_text="If it happened between two dates, the last day.",
    )  # fmt: skip
    who = forms.CharField(
        label="Who was involved? (optional)", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Names, nicknames, descriptions.",
    )  # fmt: skip
    source_relationship = forms.ChoiceField(
        label="How do you know this?", choices=SourceRelationship.choices,
        widget=forms.RadioSelect, error_messages={"required": "Select how you know this"},
    )  # fmt: skip
    source_relationship_detail = forms.CharField(
        label="Tell us more about how you know (optional unless you chose other)",
        required=False, max_length=1000,
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, MENTION_ROWS + 1):
            self.fields[f"mention_kind_{n}"] = forms.ChoiceField(
                label=f"Mention {n}: what is it?", required=False,
                choices=[("", "Choose one"), *MentionKind.choices],
            )  # fmt: skip
            self.fields[f"mention_value_{n}"] = forms.CharField(
                label=f"Mention {n}: as you know it", required=False, max_length=300
            )

    def mention_rows(self):
        """(kind field, value field) for each row, for the template."""
        return [
            (self[f"mention_kind_{n}"], self[f"mention_value_{n}"])
            for n in range(1, MENTION_ROWS + 1)
        ]

    def clean(self):
        data = super().clean()
        for n in range(1, MENTION_ROWS + 1):
            kind, value = data.get(f"mention_kind_{n}"), (data.get(f"mention_value_{n}") or "")
            if value.strip() and not kind:
                self.add_error(f"mention_kind_{n}", f"Select what mention {n} is")
        if (
            data.get("source_relationship") == SourceRelationship.OTHER
            and not (data.get("source_relationship_detail") or "").strip()
        ):
            self.add_error("source_relationship_detail", "Describe how you know this")
        start, end = data.get("occurred_on"), data.get("occurred_until")
        if start and end and end < start:
            self.add_error(
                "occurred_until", "The end date must be the same as or after the date it happened"
            )
        return data

    def mentions(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        return [
            (data[f"mention_kind_{n}"], data[f"mention_value_{n}"])
            for n in range(1, MENTION_ROWS + 1)
            if (data.get(f"mention_value_{n}") or "").strip()
        ]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "what", "where", "occurred_on", "occurred_time", "occurred_until", "who",
                "source_relationship", "source_relationship_detail",
            )
        } | {"mentions": self.mentions()}  # fmt: skip


class AssessForm(forms.Form):
    """The police intelligence role's assessment: 3x5x2, the sanitised text, what was done."""

    source_evaluation = forms.ChoiceField(
        label="Source evaluation", choices=_labelled(SourceEvaluation, SOURCE_EVALUATION_LABELS),
        widget=HintedRadioSelect(hints=SOURCE_EVALUATION_HINTS),
        error_messages={"required": "Select the source evaluation (1, 2 or 3)"},
    )  # fmt: skip
    assessment = forms.ChoiceField(
        label="Intelligence assessment", choices=_labelled(IntelligenceAssessment, ASSESSMENT_LABELS),
        widget=HintedRadioSelect(hints=ASSESSMENT_HINTS),
        error_messages={"required": "Select the intelligence assessment (A to E)"},
    )  # fmt: skip
    sanitised_text = forms.CharField(
        label="Sanitised text", widget=forms.Textarea(attrs={"rows": 6}), max_length=10000,
        help_text="What partners may see. Leave out anything that could identify the source, "
        "and any police information you may not share.",
        error_messages={"required": "Enter the sanitised text, what partners may see"},
    )  # fmt: skip
    handling_code = forms.ChoiceField(
        label="Handling code", choices=_labelled(HandlingCode, HANDLING_LABELS),
        widget=HintedRadioSelect(hints=HANDLING_HINTS),
        error_messages={"required": "Select the handling code (P or C)"},
    )  # fmt: skip
    handling_conditions = forms.CharField(
        label="Conditions of sharing (required for C)", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, not to be disclosed to the tenant; for safeguarding only.",
    )  # fmt: skip
    share_with = forms.ModelMultipleChoiceField(
        label="Agencies that may see it (handling code C)", queryset=Agency.objects.none(),
        required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Only these agencies see the sanitised text. Other partners see nothing.",
    )  # fmt: skip
    serious_harm = forms.BooleanField(
        label="Risk of serious harm (organised crime, exploitation, serious violence)",
        required=False,
        help_text="Reviewed after 10 years instead of 6.",
    )  # fmt: skip
    action_taken = forms.CharField(
        label="Action taken (required if actioned)", required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Only the police intelligence role sees this; the submitter sees the status.",
    )  # fmt: skip
    status = forms.ChoiceField(
        label="Status", choices=[(s.value, s.label) for s in Status if s in GRADED_STATUSES],
        widget=forms.RadioSelect, initial=Status.GRADED,
        error_messages={"required": "Select graded, actioned or no further action"},
    )  # fmt: skip

    def __init__(self, *args, agency_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["share_with"].queryset = (
            Agency.objects.exclude(pk=agency_id).exclude(kind=AgencyKind.POLICE).order_by("name")
        )

    def clean(self):
        data = super().clean()
        if (
            data.get("handling_code") == HandlingCode.C
            and not (data.get("handling_conditions") or "").strip()
        ):
            self.add_error(
                "handling_conditions", "Enter the conditions of sharing for handling code C"
            )
        if data.get("status") == Status.ACTIONED and not (data.get("action_taken") or "").strip():
            self.add_error("action_taken", "Enter the action taken")
        return data
