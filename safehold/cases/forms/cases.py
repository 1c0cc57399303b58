"""Forms for triage and the case pages."""

import datetime

from django import forms
from django.utils import timezone

from safehold.accounts.choices import Role
from safehold.accounts.models import Agency, User
from safehold.cases.choices import (
    ClosureReason,
    EnforcementKind,
    EnforcementStatus,
    EntryKind,
    ExploitationType,
    LinkRole,
    OpenTasksOnClosing,
    RiskLevel,
)
from safehold.cases.models import InterventionType
from safehold.core.forms import GovukDateField
from safehold.core.locking import VersionedForm
from safehold.geography.models import NeighbourhoodArea

NEW = "new"
NONE = "none"


def officers_of(agency_id) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label="Lead officer",
        queryset=User.objects.filter(
            agency=agency_id, is_active=True, role__in=[Role.CASEWORKER, Role.SUPERVISOR]
        ).order_by("full_name"),
        error_messages={"required": "Select the lead officer"},
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Why are you declining this referral?",
        widget=forms.Textarea,
        error_messages={"required": "Enter why you are declining this referral"},
        help_text="The referrer will see this",
    )


class SignpostForm(forms.Form):
    to = forms.CharField(
        label="Who should help instead?",
        max_length=200,
        error_messages={"required": "Enter who the referral is signposted to"},
    )
    reason = forms.CharField(
        label="Why?",
        widget=forms.Textarea,
        error_messages={"required": "Enter why the referral is signposted elsewhere"},
        help_text="The referrer will see this",
    )


class AcceptForm(forms.Form):
    """Open a case: an existing person and place (likely duplicates are offered) or new ones."""

    person = forms.ChoiceField(
        label="Who is this referral about?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the person, or add them as a new person"},
    )
    location = forms.ChoiceField(
        label="Which address?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the address, or add it as a new place"},
    )
    exploitation_type = forms.ChoiceField(
        label="Main type of exploitation",
        choices=ExploitationType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the main type of exploitation"},
    )
    area = forms.ModelChoiceField(
        label="Neighbourhood (optional)",
        queryset=NeighbourhoodArea.objects.all(),
        required=False,
        empty_label="Work it out from the address",
    )
    risk_level = forms.ChoiceField(
        label="Risk level",
        choices=RiskLevel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the risk level"},
    )
    risk_rationale = forms.CharField(
        label="Why this risk level?",
        widget=forms.Textarea,
        error_messages={"required": "Enter why you chose this risk level"},
    )

    def __init__(self, *args, people, locations, referral, agency_id, **kwargs):
        super().__init__(*args, **kwargs)
        new_person = f"Add as a new person: {referral.subject_name or 'name not known'}"
        self.fields["person"].choices = [
            *((str(c.person.pk), c.label) for c in people),
            (NEW, new_person),
        ]
        address = ", ".join(p for p in (referral.address_line_1, referral.postcode) if p)
        location_choices = [(str(c.location.pk), c.label) for c in locations]
        if address:
            location_choices.append((NEW, f"Add as a new place: {address}"))
        location_choices.append((NONE, "No address"))
        self.fields["location"].choices = location_choices
        self.fields["lead_officer"] = officers_of(agency_id)
        if referral.suspected_types:
            self.fields["exploitation_type"].initial = referral.suspected_types[0]


class EntryForm(forms.Form):
    kind = forms.ChoiceField(
        label="What happened?",
        choices=[c for c in EntryKind.choices if c[0] != EntryKind.EVENT],
        widget=forms.RadioSelect,
        error_messages={"required": "Select what happened"},
    )
    occurred_on = GovukDateField(
        label="Date", label_noun="the date", past_only=True, help_text="For example, 27 3 2026"
    )
    time = forms.TimeField(
        label="Time (optional)",
        required=False,
        help_text="For example, 14:30",
        error_messages={"invalid": "Enter a time like 14:30"},
    )
    summary = forms.CharField(
        label="Summary", widget=forms.Textarea, error_messages={"required": "Enter a summary"}
    )
    item = forms.CharField(
        label="Item given (optional)",
        required=False,
        max_length=200,
        help_text="For example, pay-as-you-go phone",
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") == EntryKind.ITEM_GIVEN and not data.get("item"):
            self.add_error("item", "Enter the item given")
        return data

    def occurred_at(self) -> datetime.datetime:
        day = self.cleaned_data["occurred_on"]
        time = self.cleaned_data.get("time") or datetime.time(12, 0)
        return timezone.make_aware(datetime.datetime.combine(day, time))


class LinkPersonForm(forms.Form):
    role = forms.ChoiceField(
        label="Their role",
        choices=LinkRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select their role"},
    )
    person = forms.ModelChoiceField(
        label="Someone already known (optional)",
        queryset=None,
        required=False,
        empty_label="Not known to us yet",
    )
    given_name = forms.CharField(
        label="Or a new person: first name", required=False, max_length=100
    )
    family_name = forms.CharField(label="Last name", required=False, max_length=100)
    notes = forms.CharField(label="Notes (optional)", widget=forms.Textarea, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people

    def clean(self):
        data = super().clean()
        if not data.get("person") and not data.get("family_name"):
            self.add_error("person", "Select someone already known, or enter a new person's name")
        return data


def _agencies():
    return Agency.objects.order_by("name")


class InterventionForm(forms.Form):
    type = forms.ModelChoiceField(
        label="Intervention",
        queryset=InterventionType.objects.all(),
        widget=forms.RadioSelect,
        error_messages={"required": "Select the intervention"},
    )
    agency = forms.ModelChoiceField(
        label="Delivered by",
        queryset=Agency.objects.none(),
        error_messages={"required": "Select the agency delivering it"},
    )
    started_on = GovukDateField(label="Start date", label_noun="the start date")
    ended_on = GovukDateField(
        label="End date (optional)", label_noun="the end date", required=False
    )
    notes = forms.CharField(label="Notes (optional)", widget=forms.Textarea, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = _agencies()

    def clean(self):
        data = super().clean()
        if (
            data.get("ended_on")
            and data.get("started_on")
            and data["ended_on"] < data["started_on"]
        ):
            self.add_error("ended_on", "The end date must be the same as or after the start date")
        return data


def _ends_after_start(form, started_on, ends_on) -> None:
    """An order or injunction cannot end before it starts (issue 14, defect 4)."""
    if started_on and ends_on and ends_on < started_on:
        form.add_error(
            "ends_on", f"The end date must be the same as or after {started_on:%-d %B %Y}"
        )


class EnforcementForm(forms.Form):
    kind = forms.ChoiceField(
        label="Enforcement action",
        choices=EnforcementKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the enforcement action"},
    )
    status = forms.ChoiceField(
        label="Status",
        choices=EnforcementStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the status"},
    )
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.none(),
        error_messages={"required": "Select the agency"},
    )
    against = forms.ModelChoiceField(
        label="Against (optional)",
        queryset=None,
        required=False,
        empty_label="Nobody in particular",
    )
    started_on = GovukDateField(
        label="Date issued, served, made or arrested", label_noun="the date", past_only=False
    )
    served_time = forms.TimeField(
        label="Time served (closure notices)",
        required=False,
        help_text="The court must hear a closure notice within 48 hours of it being served. For example, 09:15",
        error_messages={"invalid": "Enter a time like 09:15"},
    )
    ends_on = GovukDateField(
        label="End date (optional)",
        label_noun="the end date",
        required=False,
        help_text="For an order or injunction. A closure order lasts up to 3 months, 6 with an extension.",
    )
    notes = forms.CharField(label="Notes (optional)", widget=forms.Textarea, required=False)
    document = forms.FileField(label="Document (optional)", required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = _agencies()
        self.fields["against"].queryset = people

    def clean(self):
        data = super().clean()
        _ends_after_start(self, data.get("started_on"), data.get("ends_on"))
        return data

    def served_at(self) -> datetime.datetime | None:
        if self.cleaned_data.get("kind") != EnforcementKind.CLOSURE_NOTICE:
            return None
        time = self.cleaned_data.get("served_time") or datetime.time(0, 0)
        return timezone.make_aware(datetime.datetime.combine(self.cleaned_data["started_on"], time))


class EnforcementUpdateForm(forms.Form):
    status = forms.ChoiceField(
        label="Status", choices=EnforcementStatus.choices, widget=forms.RadioSelect
    )
    ends_on = GovukDateField(label="End date (optional)", label_noun="the end date", required=False)

    def __init__(self, *args, started_on: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.started_on = started_on

    def clean(self):
        data = super().clean()
        _ends_after_start(self, self.started_on, data.get("ends_on"))
        return data


class DocumentForm(forms.Form):
    file = forms.FileField(label="Document", error_messages={"required": "Select a document"})
    name = forms.CharField(label="Name (optional)", required=False, max_length=200)


class TaskForm(forms.Form):
    title = forms.CharField(
        label="Task", max_length=200, error_messages={"required": "Enter the task"}
    )
    owner = forms.ModelChoiceField(
        label="Who will do it?",
        queryset=None,
        required=False,
        empty_label="Anyone in the agency",
    )
    due_on = GovukDateField(
        label="Due date", label_noun="the due date", help_text="For example, 27 3 2026"
    )

    owner_agency = forms.ModelChoiceField(
        label="Or an organisation the case is shared with (optional)",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="No, one of ours",
        help_text="They can mark it done on the shared case",
    )

    def __init__(self, *args, agency_id, partners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(
            agency=agency_id, is_active=True
        ).order_by("full_name")
        if partners is None:
            del self.fields["owner_agency"]
        else:
            self.fields["owner_agency"].queryset = partners

    def clean(self):
        data = super().clean()
        if data.get("owner") and data.get("owner_agency"):
            self.add_error("owner_agency", "Choose a person or an organisation, not both")
        return data


class RiskForm(VersionedForm):
    level = forms.ChoiceField(
        label="Risk level",
        choices=RiskLevel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the risk level"},
    )
    rationale = forms.CharField(
        label="Why?",
        widget=forms.Textarea,
        error_messages={"required": "Enter why the risk level is changing"},
    )


class CloseForm(VersionedForm):
    reason = forms.ChoiceField(
        label="Why is the case closing?",
        choices=ClosureReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the case is closing"},
    )
    tenancy_sustained = forms.ChoiceField(
        label="Was the victim's tenancy sustained?",
        choices=[("yes", "Yes"), ("no", "No"), ("not_applicable", "Not applicable or not known")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the tenancy was sustained"},
    )
    closed_on = GovukDateField(label="Date closed", label_noun="the date closed", past_only=True)
    notes = forms.CharField(
        label="Closing summary (optional)", widget=forms.Textarea, required=False
    )

    def __init__(self, *args, case, open_tasks: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.referral_date = case.referral_date
        if open_tasks:
            self.fields["open_tasks"] = forms.ChoiceField(
                label=f"What should happen to the {open_tasks} open task{'s' if open_tasks > 1 else ''}?",
                choices=OpenTasksOnClosing.choices,
                widget=forms.RadioSelect,
                error_messages={"required": "Select what should happen to the open tasks"},
                help_text="A task on a closed case is no longer anyone's work in Safehold.",
            )
            self.fields["hand_over_to"] = forms.ModelChoiceField(
                label="Hand them over to (if handing over)",
                queryset=officers_of(case.owning_agency_id).queryset,
                required=False,
                empty_label="Choose a person",
            )

    def clean(self):
        data = super().clean()
        closed_on = data.get("closed_on")
        if closed_on and closed_on < self.referral_date:
            self.add_error(
                "closed_on",
                f"The date closed must be the same as or after the referral date "
                f"({self.referral_date:%-d %B %Y})",
            )
        if data.get("open_tasks") == OpenTasksOnClosing.HAND_OVER and not data.get("hand_over_to"):
            self.add_error("hand_over_to", "Select who the open tasks are handed over to")
        return data

    def tenancy(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data["tenancy_sustained"])


class ReopenForm(VersionedForm):
    reason = forms.CharField(
        label="Why are you reopening the case?",
        widget=forms.Textarea,
        error_messages={"required": "Enter why you are reopening the case"},
    )
