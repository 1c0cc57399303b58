"""The incident log pages' forms: the upload, and the filters every incident analysis takes
(a GET form that works without JavaScript), in GOV.UK wording."""

from django import forms

from safehold.core.forms import GovukDateField
from safehold.hotspots.grid import CELL_SIZES, DEFAULT_CELL_SIZE
from safehold.imports.forms import UploadForm
from safehold.incidents.selectors import SourceSummary

MAX_UPLOAD_MB = 200
AREAS = {
    "stockport": "Stockport (the borough's extent)",
    "incidents": "The incidents' own extent",
}
RADII = ((1, "1 cell: the 3 by 3 square around each cell"), (2, "2 cells: the 5 by 5 square"))


class IncidentUploadForm(UploadForm):
    """A partner's incident log (the shared upload form) and, optionally, whose log it is."""

    max_mb = MAX_UPLOAD_MB
    help_text = (
        "One row per incident, with the column names in the first row. "
        "In Excel, use Save As and choose “CSV UTF-8 (Comma delimited)”."
    )

    source = forms.CharField(
        label="Source (optional)",
        required=False,
        max_length=100,
        help_text="The partner whose log this is, like Stockport Homes ASB team. Leave it empty "
        "if the file has a source column.",
        error_messages={"max_length": "The source must be 100 characters or fewer"},
    )

    def clean_source(self):
        return " ".join(self.cleaned_data["source"].split())


class IncidentFilterForm(forms.Form):
    """The period (UK dates, inclusive), types and sources. Empty means everything."""

    date_from = GovukDateField(
        label="From", label_noun="the start date", required=False, help_text="For example, 1 1 2024"
    )
    date_to = GovukDateField(
        label="To", label_noun="the end date", required=False, help_text="For example, 31 12 2024"
    )
    types = forms.MultipleChoiceField(
        label="Types of incident",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select types of incident from the list"},
    )
    sources = forms.MultipleChoiceField(
        label="Sources",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select sources from the list"},
    )

    def __init__(self, *args, sources: list[SourceSummary], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sources"].choices = [(s.source, s.source) for s in sources]
        types: dict[str, str] = {}
        for s in sources:
            for name, _ in s.types:
                types.setdefault(name.casefold(), name)  # filters ignore capitals
        self.fields["types"].choices = [(t, t) for t in sorted(types.values(), key=str.casefold)]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        return data

    def filters(self) -> dict:
        """The analysis functions' keyword arguments (call after is_valid)."""
        data = self.cleaned_data
        return {
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "types": tuple(data.get("types") or ()),
            "sources": tuple(data.get("sources") or ()),
        }


class HotspotFilterForm(IncidentFilterForm):
    """The filters, and the grid: the cell size and the neighbourhood of Gi*."""

    cell_size = forms.TypedChoiceField(
        label="Cell size",
        choices=[(size, f"{size} metres") for size in CELL_SIZES],
        coerce=int,
        required=False,
        empty_value=int(DEFAULT_CELL_SIZE),
        initial=int(DEFAULT_CELL_SIZE),
        error_messages={"invalid_choice": "Select a cell size from the list"},
    )
    radius = forms.TypedChoiceField(
        label="Neighbourhood of each cell",
        choices=RADII,
        coerce=int,
        required=False,
        empty_value=1,
        initial=1,
        error_messages={"invalid_choice": "Select a neighbourhood from the list"},
    )

    area = forms.ChoiceField(
        label="Study area",
        choices=list(AREAS.items()),
        required=False,
        initial="stockport",
        widget=forms.RadioSelect,
        help_text="Gi* compares each cell with every cell of the study area, empty ones too",
        error_messages={"invalid_choice": "Select a study area"},
    )

    def grid(self) -> dict:
        """The hot-spot options (call after is_valid)."""
        return {
            "cell_size": float(self.cleaned_data.get("cell_size") or DEFAULT_CELL_SIZE),
            "radius": self.cleaned_data.get("radius") or 1,
            "area": self.cleaned_data.get("area") or "stockport",
        }
