"""The network pages' forms; the services check the rest (who may, what they may see)."""

from django import forms

from safehold.accounts.models import Agency
from safehold.core.forms import GovukDateField
from safehold.networks.choices import (
    Activity,
    EventKind,
    FourP,
    Level,
    LinkType,
    MemberRole,
    ObjectKind,
    OcgStatus,
)


class GroupForm(forms.Form):
    """Profile a group, or change its profile."""

    name = forms.CharField(
        label="Name of the group", max_length=200,
        error_messages={"required": "Enter the name of the group"},
    )  # fmt: skip
    status = forms.ChoiceField(
        label="Status", choices=OcgStatus.choices, widget=forms.RadioSelect,
        initial=OcgStatus.ACTIVE, error_messages={"required": "Select the group's status"},
    )  # fmt: skip
    activities = forms.MultipleChoiceField(
        label="Principal activities", choices=Activity.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the group's principal activities"},
    )  # fmt: skip
    areas = forms.CharField(
        label="Areas (optional)", required=False, max_length=500,
        help_text="Ward or LSOA codes, separated by commas: for example, E05000782, E01005500",
    )  # fmt: skip
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea,
    )  # fmt: skip

    def area_codes(self) -> list[str]:
        return [c for c in self.cleaned_data["areas"].replace(";", ",").split(",") if c.strip()]


class MemberForm(forms.Form):
    """Add a person found by the search as a member."""

    person = forms.UUIDField(widget=forms.HiddenInput)
    role = forms.ChoiceField(
        label="Role", choices=MemberRole.choices,
        error_messages={"required": "Select the member's role"},
    )  # fmt: skip
    date_from = GovukDateField(label="Member since (optional)", required=False,
                               label_noun="the date they became a member")  # fmt: skip


class EndMemberForm(forms.Form):
    member = forms.UUIDField(widget=forms.HiddenInput)
    date_to = GovukDateField(label="Date the membership ended",
                             label_noun="the date the membership ended")  # fmt: skip


class PremisesForm(forms.Form):
    location = forms.UUIDField(widget=forms.HiddenInput)
    why = forms.CharField(
        label="Why is it linked to the group?", max_length=300,
        help_text="For example, cuckooed address used to deal from",
        error_messages={"required": "Enter why the premises is linked to the group"},
    )  # fmt: skip


def _level(label: str, noun: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=Level.choices, coerce=int, widget=forms.RadioSelect,
        error_messages={"required": f"Select the group's {noun}: low, medium or high"},
    )  # fmt: skip


def _reason(noun: str) -> forms.CharField:
    return forms.CharField(
        label=f"Reason for the {noun} level", widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": f"Enter the reason for the {noun} level"},
    )  # fmt: skip


class ThreatForm(forms.Form):
    harm = _level("Harm: what the group does to people and places", "harm")
    harm_reason = _reason("harm")
    capability = _level("Capability: what it has the means to do", "capability")
    capability_reason = _reason("capability")
    intent = _level("Intent: what it means to do", "intent")
    intent_reason = _reason("intent")


class ActionForm(forms.Form):
    strand = forms.ChoiceField(
        label="Strand of the 4P plan", choices=FourP.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select pursue, prevent, protect or prepare"},
    )  # fmt: skip
    description = forms.CharField(
        label="Action", max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what the action is"},
    )  # fmt: skip
    owner_agency = forms.ModelChoiceField(
        label="Owning agency", queryset=Agency.objects.order_by("name"),
        error_messages={"required": "Select the agency that owns the action"},
    )  # fmt: skip
    due_on = GovukDateField(label="Due date (optional)", required=False,
                            label_noun="the due date")  # fmt: skip


class ObjectForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of object", choices=ObjectKind.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of object"},
    )  # fmt: skip
    value = forms.CharField(
        label="Number, registration, account, handle or description", max_length=200,
        help_text="For example, 07700 900123, AB12 CDE, 11-22-33 12345678 or @name",
        error_messages={"required": "Enter the object's number, mark or description"},
    )  # fmt: skip
    description = forms.CharField(label="Notes (optional)", required=False, max_length=300)


class LinkForm(forms.Form):
    to = forms.CharField(
        widget=forms.HiddenInput,
        error_messages={"required": "Choose the record to link to"},
    )  # fmt: skip
    type = forms.ChoiceField(
        label="Type of link", choices=LinkType.choices,
        error_messages={"required": "Select the type of link"},
    )  # fmt: skip
    date_from = GovukDateField(label="From (optional)", required=False, label_noun="the date from")
    date_to = GovukDateField(label="To (optional)", required=False, label_noun="the date to")
    source_reference = forms.CharField(
        label="Source (optional)", required=False, max_length=60,
        help_text="The intelligence or case reference it came from, for example INT-2026-0004",
    )  # fmt: skip
    grading = forms.CharField(
        label="Grading (optional)", required=False, max_length=10,
        help_text="For example, B2P", widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-4"}),
    )  # fmt: skip


class EventForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of event", choices=EventKind.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of event"},
    )  # fmt: skip
    date = GovukDateField(label="Date of the event", label_noun="the date of the event",
                          past_only=True)  # fmt: skip
    summary = forms.CharField(
        label="Summary", max_length=300, help_text="For example, phones and cash seized",
        error_messages={"required": "Enter a summary of the event"},
    )  # fmt: skip
    reference = forms.CharField(
        label="Reference (optional)", required=False, max_length=60,
        help_text="The incident, operation or intelligence reference",
    )  # fmt: skip
