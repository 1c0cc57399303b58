from django import forms

from safehold.core.forms import GovukDateField
from safehold.core.locking import VersionedForm, shown
from safehold.core.postcodes import normalise_postcode, validate_postcode
from safehold.geography.models import Lsoa, Ward
from safehold.people.choices import Gender, Tenure
from safehold.people.models import Vulnerability
from safehold.people.restrictions import RESTRICTED_FIELDS, visible_fields
from safehold.people.validators import validate_uprn


class PersonForm(forms.Form):
    given_name = forms.CharField(
        label="First name",
        max_length=100,
        error_messages={"required": "Enter the person's first name"},
    )
    family_name = forms.CharField(
        label="Last name",
        max_length=100,
        error_messages={"required": "Enter the person's last name"},
    )
    aliases = forms.CharField(
        label="Other names (optional)",
        required=False,
        widget=forms.Textarea,
        help_text="Names the person is also known by, one on each line",
    )
    date_of_birth = GovukDateField(
        label="Date of birth (optional)",
        required=False,
        label_noun="date of birth",
        past_only=True,
        help_text="For example, 27 3 1985",
    )
    gender = forms.ChoiceField(
        label="Gender", choices=Gender.choices, widget=forms.RadioSelect, initial=Gender.NOT_KNOWN
    )
    vulnerabilities = forms.ModelMultipleChoiceField(
        label="Vulnerabilities (optional)",
        queryset=Vulnerability.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
    )
    police_intelligence = forms.CharField(
        label="Police intelligence (optional)",
        required=False,
        widget=forms.Textarea,
        help_text="Only police users and your information governance officers can see this",
    )
    health_details = forms.CharField(
        label="Health details (optional)",
        required=False,
        widget=forms.Textarea,
        help_text="Only health and adult social care users and your information governance "
        "officers can see this",
    )

    def __init__(self, *args, user, person=None, **kwargs):
        """`person` is the person being changed, or None for a new one. Restricted fields the
        user may not see are removed: not rendered, and not in cleaned_data, so saving the form
        leaves them as they are."""
        super().__init__(*args, **kwargs)
        for name in set(RESTRICTED_FIELDS) - visible_fields(user, person):
            del self.fields[name]

    @property
    def restricted_fields(self) -> list:
        """The restricted fields this user may see, for the template to render."""
        return [self[name] for name in RESTRICTED_FIELDS if name in self.fields]

    def clean_aliases(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["aliases"].splitlines() if line.strip()]


class PersonChangeForm(PersonForm, VersionedForm):
    """The person form opened on a person: it carries the version it was opened with, so a
    save over someone else's change is refused and shows what they changed (ADR 0061)."""

    def facts(self, person) -> dict[str, tuple[str, str]]:
        """What this form shows of `person`, by field: its label and the value as shown. Only
        the fields on the form: a restricted field the user may not see is not among them."""
        values = {
            "given_name": person.given_name,
            "family_name": person.family_name,
            "aliases": ", ".join(sorted(a.name for a in person.aliases.all())),
            "date_of_birth": shown(person.date_of_birth),
            "gender": person.get_gender_display(),
            "vulnerabilities": ", ".join(sorted(v.name for v in person.vulnerabilities.all())),
            **{name: getattr(person, name) for name in RESTRICTED_FIELDS},
        }
        return {
            name: (str(self.fields[name].label).removesuffix(" (optional)"), value)
            for name, value in values.items()
            if name in self.fields
        }


class LocationForm(forms.Form):
    address_line_1 = forms.CharField(
        label="Address line 1",
        max_length=200,
        error_messages={"required": "Enter address line 1, typically the building and street"},
    )
    address_line_2 = forms.CharField(
        label="Address line 2 (optional)", max_length=200, required=False
    )
    town = forms.CharField(label="Town or city", max_length=100, required=False)
    postcode = forms.CharField(
        label="Postcode", max_length=10, required=False, validators=[validate_postcode]
    )
    uprn = forms.CharField(
        label="UPRN (optional)", max_length=12, required=False, validators=[validate_uprn],
        help_text="The Unique Property Reference Number, if you know it",
    )  # fmt: skip
    ward = forms.ModelChoiceField(
        label="Ward (optional)",
        queryset=Ward.objects.all(),
        required=False,
        empty_label="Not known",
    )
    lsoa = forms.ModelChoiceField(
        label="LSOA (optional)",
        queryset=Lsoa.objects.all(),
        required=False,
        empty_label="Not known",
    )
    latitude = forms.DecimalField(
        label="Latitude (optional)",
        required=False,
        max_digits=8,
        decimal_places=6,
        min_value=-90,
        max_value=90,
    )
    longitude = forms.DecimalField(
        label="Longitude (optional)",
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
    )
    tenure = forms.ChoiceField(
        label="Tenure", choices=Tenure.choices, widget=forms.RadioSelect, initial=Tenure.OTHER
    )
    landlord = forms.CharField(label="Landlord (optional)", max_length=200, required=False)

    def clean_postcode(self) -> str:
        return normalise_postcode(self.cleaned_data["postcode"])

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("longitude", "Enter both latitude and longitude, or neither")
        lsoa, ward = data.get("lsoa"), data.get("ward")
        if lsoa and ward and lsoa.ward_id != ward.pk:
            self.add_error("lsoa", f"{lsoa.name} is in {lsoa.ward.name} ward, not {ward.name}")
        return data
