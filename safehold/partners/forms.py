"""The extract upload form: the shared upload form's file, plus what the extract is, the agreement
it is shared under and why, in GOV.UK wording."""

from django import forms
from django.db.models import Q

from safehold.core import dates
from safehold.core.forms import GovukDateField
from safehold.imports.forms import UploadForm
from safehold.partners.choices import ExtractKind
from safehold.sharing.models import InformationSharingAgreement

MAX_UPLOAD_MB = 50


def live_agreements_of(agency_id):
    """The agreements in force today that the agency is a party to."""
    today = dates.today()
    return InformationSharingAgreement.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today), parties=agency_id, start_date__lte=today
    ).order_by("title")


class ExtractUploadForm(UploadForm):
    max_mb = MAX_UPLOAD_MB
    label = "Upload the extract (CSV)"
    help_text = (
        "One row per record, with the column names in the first row. "
        "In Excel, use Save As and choose “CSV UTF-8 (Comma delimited)”."
    )

    kind = forms.ChoiceField(
        label="What the extract holds",
        choices=ExtractKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what the extract holds",
            "invalid_choice": "Select what the extract holds",
        },
    )
    agreement = forms.ModelChoiceField(
        label="Information sharing agreement",
        queryset=InformationSharingAgreement.objects.none(),
        empty_label="Select an agreement",
        help_text="The live agreement your agency shares this extract under.",
        error_messages={
            "required": "Select the agreement the extract is shared under",
            "invalid_choice": "Select a live agreement your agency is a party to",
        },
    )
    purpose = forms.CharField(
        label="Purpose",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the partnership may use this extract for.",
        error_messages={
            "required": "Enter the purpose the extract is shared for",
            "max_length": "The purpose must be 500 characters or fewer",
        },
    )
    extract_date = GovukDateField(
        label="Date of the extract (optional)",
        label_noun="the date of the extract",
        past_only=True,
        required=False,
        help_text="The day the data was taken from your system. For example, 31 3 2026. "
        "Leave it empty for today.",
    )

    field_order = ["kind", "agreement", "purpose", "extract_date", "file"]

    def __init__(self, *args, agency_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = live_agreements_of(agency_id)
