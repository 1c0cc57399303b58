from django import forms

from safehold.core.forms import GovukDateField
from safehold.imports.forms import UploadForm
from safehold.reassurance.choices import BatchKind, VisitOutcome
from safehold.reassurance.letters import FIELDS


class TemplateForm(forms.Form):
    """A letter template's name and text; the text may use only the named merge fields."""

    name = forms.CharField(
        label="Name of the template", max_length=120,
        error_messages={"required": "Enter a name for the template"},
    )  # fmt: skip
    body = forms.CharField(
        label="Text of the letter",
        help_text="Separate paragraphs with a blank line. Merge fields: "
        + ", ".join(f"{{{{ {name} }}}}" for name in FIELDS),
        widget=forms.Textarea(attrs={"rows": 14}),
        error_messages={"required": "Enter the text of the letter"},
    )


class RadiusForm(forms.Form):
    """How far around the premises to look (the plan page's GET)."""

    radius_m = forms.IntegerField(
        label="Distance from the premises, in metres", min_value=10, max_value=2000, initial=200,
        error_messages={"required": "Enter a distance in metres",
                        "invalid": "Enter the distance as a whole number of metres",
                        "min_value": "The distance must be 10 metres or more",
                        "max_value": "The distance must be 2,000 metres or less"},
    )  # fmt: skip


class BatchForm(forms.Form):
    """Letters for the nearest addresses (or those picked), or leaflets for every address within
    the distance (or those picked)."""

    kind = forms.ChoiceField(
        label="What are you delivering?", choices=BatchKind.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select letters or a leaflet drop"},
    )  # fmt: skip
    purpose = forms.CharField(
        label="What is it for?", max_length=200,
        help_text="For example: reassurance after the warrant at this address",
        error_messages={"required": "Enter what the letters or leaflets are for"},
    )  # fmt: skip
    template = forms.ChoiceField(label="Letter to print (letters only)", required=False)
    officer_name = forms.CharField(
        label="Officer who signs the letters (letters only)", max_length=120, required=False
    )
    nearest = forms.IntegerField(
        label="How many of the nearest addresses get a letter?", min_value=1, max_value=2000,
        initial=50, required=False,
        help_text="Letters only, when no addresses are picked below",
        error_messages={"invalid": "Enter the number of addresses as a whole number",
                        "min_value": "Enter 1 or more addresses",
                        "max_value": "Enter 2,000 addresses or fewer"},
    )  # fmt: skip
    picked = forms.MultipleChoiceField(
        label="Addresses picked (optional)", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, templates=(), addresses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [("", "Select a letter")] + [
            (str(t.pk), t.name) for t in templates
        ]
        self.fields["picked"].choices = [(a.key, a.one_line) for a in addresses]

    def clean(self):
        data = super().clean()
        if data.get("kind") == BatchKind.LETTERS:
            if not data.get("template"):
                self.add_error("template", "Select the letter to print")
            if not (data.get("officer_name") or "").strip():
                self.add_error(
                    "officer_name", "Enter the name of the officer who signs the letters"
                )
        return data


class DeliveriesForm(forms.Form):
    delivered_on = GovukDateField(label="Date delivered", label_noun="the date delivered")
    delivered = forms.MultipleChoiceField(
        label="Delivered to", widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the addresses delivered to"},
    )  # fmt: skip

    def __init__(self, *args, deliveries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delivered"].choices = [(str(d.pk), d.address) for d in deliveries]


class VisitForm(forms.Form):
    visited_on = GovukDateField(label="Date of the visit", label_noun="the date of the visit")
    outcome = forms.ChoiceField(
        label="What happened at the door?", choices=VisitOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what happened at the door"},
    )  # fmt: skip
    note = forms.CharField(
        label="Notes (optional)", required=False, max_length=2000, widget=forms.Textarea
    )


class PropertyListUploadForm(UploadForm):
    """A property list file (docs/formats/property-list.md) and the list it goes into."""

    max_mb = 20

    name = forms.CharField(
        label="Name of the property list", max_length=120,
        help_text="For example: Stockport Homes stock. Importing again into the same list "
        "adds new properties and updates changed ones.",
        error_messages={"required": "Enter the name of the property list"},
    )  # fmt: skip
    field_order = ["name", "file"]
