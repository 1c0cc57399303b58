"""The police.uk pages' forms: the upload of police.uk files, and the filters (GET forms that
work without JavaScript), in GOV.UK wording.

One form (`PoliceFilterForm`: period, crime types, area, measure) and a subclass per analysis
page for its own options. Months, types and areas are chosen from what the store holds, so the
only errors are an end before the start and values that are not on the lists.
"""

from django import forms

from safehold.core.forms import GovukDateField
from safehold.crime.dashboard.filters import MEASURES, Filters, Loaded, month_label
from safehold.crime.ingest.uploads import max_upload_mb
from safehold.crime.police_hotspots import STUDY_AREAS
from safehold.crime.queries import GROUP_KEYS
from safehold.hotspots.grid import CELL_SIZES, DEFAULT_CELL_SIZE
from safehold.imports.forms import UploadForm

# The query-string keys of the filters: a page is filtered when any is present.
FILTER_KEYS = ("from", "to", "crime_type", "area", "measure")
GROUP_LABELS = {
    "month": "Month",
    "crime_type": "Crime type",
    "outcome": "Last outcome",
    "lsoa": "LSOA (neighbourhood of about 1,500 residents)",
    "ward": "Ward",
    "local_authority": "Local authority",
    "force": "Police force",
}
LIMITS = (10, 25, 50, 100)


class PoliceUploadForm(UploadForm):
    """One police.uk CSV, or the zip archive of a police.uk download, up to a size set by
    SAFEHOLD_POLICE_UPLOAD_MAX_MB."""

    extensions = (".csv", ".zip")
    accept = ".csv,.zip,text/csv,application/zip"
    file_noun = "a CSV file or a zip file"
    type_noun = "a CSV or a zip"
    label = "Upload a CSV file or a zip file"
    help_text = (
        "A file from data.police.uk, like 2023-03-cleveland-street.csv, or the zip "
        "file of a police.uk download as it was downloaded."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text += f" It must be smaller than {max_upload_mb()}MB."

    def limit_mb(self) -> int:
        return max_upload_mb()


class PoliceFilterForm(forms.Form):
    """The period (months loaded), crime types (none ticked: all), the area and the measure."""

    crime_type = forms.MultipleChoiceField(
        label="Crime types",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave them all unticked for every type",
        error_messages={"invalid_choice": "Select crime types from the list"},
    )
    area = forms.ChoiceField(
        label="Area",
        required=False,
        error_messages={"invalid_choice": "Select an area from the list"},
    )
    measure = forms.ChoiceField(
        label="Compare areas by",
        choices=list(MEASURES.items()),
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select a rate per 1,000 residents or a number"},
    )
    span = "year"  # the default period: the last 12 months loaded, or `all` of them
    uses_area = True
    uses_measure = True
    extra_keys: tuple[str, ...] = ()

    def __init__(self, data=None, *, loaded: Loaded, **kwargs):
        super().__init__(data, **kwargs)
        self.loaded = loaded
        start, end = loaded.default_period(self.span)
        months = [(m, month_label(m)) for m in loaded.months]
        period = {
            "from": forms.ChoiceField(
                label="From",
                choices=months,
                required=False,
                initial=start,
                error_messages={"invalid_choice": "Select a start month from the list"},
            ),
            "to": forms.ChoiceField(
                label="To",
                choices=months,
                required=False,
                initial=end,
                error_messages={"invalid_choice": "Select an end month from the list"},
            ),
        }
        self.fields = {**period, **self.fields}
        self.fields["crime_type"].choices = [(t, t) for t in loaded.crime_types]
        self.fields["area"].choices = loaded.areas
        self.fields["area"].initial = loaded.areas[0][0]
        self.fields["measure"].initial = "rate"
        if not self.uses_area:
            del self.fields["area"]
        if not self.uses_measure:
            del self.fields["measure"]
        self.default_start, self.default_end = start, end

    def clean(self):
        data = super().clean()
        start = data.get("from") or self.default_start
        end = data.get("to") or self.default_end
        if "from" not in self.errors and "to" not in self.errors and end < start:
            self.add_error("to", "The end month must be the same as or after the start month")
        return data

    def filters(self, area: str | None = None) -> Filters:
        """The filters chosen (call after is_valid), or the defaults of an unbound form."""
        data = self.cleaned_data if self.is_bound else {}
        return Filters(
            start=data.get("from") or self.default_start,
            end=data.get("to") or self.default_end,
            crime_types=tuple(data.get("crime_type") or ()),
            area=area or data.get("area") or self.loaded.areas[0][0],
            measure=data.get("measure") or "rate",
        )

    def option(self, name: str):
        """An analysis option chosen (call after is_valid), or its initial value."""
        value = self.cleaned_data.get(name) if self.is_bound else None
        return self.fields[name].initial if value in (None, "", []) else value


class AllMonthsForm(PoliceFilterForm):
    """Pages whose default period is every month loaded (trend, seasonal profile)."""

    span = "all"
    uses_measure = False


class CompareForm(PoliceFilterForm):
    uses_measure = False


class SummaryForm(PoliceFilterForm):
    uses_measure = False
    extra_keys = ("group_by",)
    group_by = forms.MultipleChoiceField(
        label="Count by",
        choices=[(k, GROUP_LABELS[k]) for k in GROUP_KEYS],
        required=False,
        initial=["month"],
        widget=forms.CheckboxSelectMultiple,
        help_text="Counts by an area come with its population and rate per 1,000 residents",
        error_messages={"invalid_choice": "Select what to count by from the list"},
    )


class TopForm(PoliceFilterForm):
    extra_keys = ("level", "limit")
    level = forms.ChoiceField(
        label="Areas to rank",
        choices=[("ward", "Wards"), ("lsoa", "LSOAs (neighbourhoods of about 1,500 residents)")],
        required=False,
        initial="ward",
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select wards or LSOAs"},
    )
    limit = forms.TypedChoiceField(
        label="How many",
        choices=[(n, str(n)) for n in LIMITS],
        coerce=int,
        required=False,
        initial=10,
        error_messages={"invalid_choice": "Select how many areas to show from the list"},
    )


class RepeatsForm(PoliceFilterForm):
    uses_measure = False
    extra_keys = ("min_count", "limit")
    min_count = forms.IntegerField(
        label="Crimes at a place, at least",
        required=False,
        initial=2,
        min_value=2,
        max_value=10_000,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": "The number of crimes must be a whole number, like 2",
            "min_value": "The number of crimes must be 2 or more",
            "max_value": "The number of crimes must be 10,000 or fewer",
        },
    )
    limit = forms.TypedChoiceField(
        label="How many places",
        choices=[(n, str(n)) for n in LIMITS],
        coerce=int,
        required=False,
        initial=25,
        error_messages={"invalid_choice": "Select how many places to show from the list"},
    )


class HotspotForm(PoliceFilterForm):
    uses_measure = False
    extra_keys = ("cell_size", "radius", "alpha", "study_area")
    cell_size = forms.TypedChoiceField(
        label="Cell size",
        choices=[(size, f"{size} metres") for size in CELL_SIZES],
        coerce=int,
        required=False,
        initial=int(DEFAULT_CELL_SIZE),
        error_messages={"invalid_choice": "Select a cell size from the list"},
    )
    radius = forms.TypedChoiceField(
        label="Neighbourhood of each cell",
        choices=[
            (1, "1 cell: the 3 by 3 square around each cell"),
            (2, "2 cells: the 5 by 5 square"),
        ],
        coerce=int,
        required=False,
        initial=1,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select a neighbourhood from the list"},
    )
    alpha = forms.TypedChoiceField(
        label="Show cells at a confidence of",
        choices=[
            (0.10, "90% or more (every hot and cold spot)"),
            (0.05, "95% or more"),
            (0.01, "99% only"),
        ],
        coerce=float,
        required=False,
        initial=0.10,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select a confidence level from the list"},
    )
    study_area = forms.ChoiceField(
        label="Study area",
        choices=[(k, v[0].upper() + v[1:]) for k, v in STUDY_AREAS.items()],
        required=False,
        initial="area",
        widget=forms.RadioSelect,
        help_text="Gi* compares each cell with every cell of the study area, empty ones too",
        error_messages={"invalid_choice": "Select a study area from the list"},
    )


class WardReportForm(PoliceFilterForm):
    """A ward's locality report: the period and crime types (the ward is in the address)."""

    uses_area = False
    uses_measure = False


class BeforeAfterForm(forms.Form):
    """Did it work? The area (a ward or LSOA code, or LSOA codes), the date of the intervention,
    the months to look at either side and the crime types (none ticked: all, with ASB)."""

    area = forms.CharField(
        label="Ward or LSOA code",
        help_text="A ward code like E05000797, an LSOA code like E01005943, or several LSOA "
        "codes separated by commas",
        error_messages={"required": "Enter a ward or LSOA code"},
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20"}),
    )
    date = GovukDateField(label="Date of the operation", label_noun="the date of the operation")
    before = forms.TypedChoiceField(
        label="Months before",
        choices=[(n, f"{n} months") for n in (6, 12, 24)],
        coerce=int,
        required=False,
        initial=12,
        error_messages={"invalid_choice": "Select a number of months before from the list"},
    )
    after = forms.TypedChoiceField(
        label="Months after (from the month of the operation)",
        choices=[(n, f"{n} months") for n in (3, 6, 12, 24)],
        coerce=int,
        required=False,
        initial=12,
        error_messages={"invalid_choice": "Select a number of months after from the list"},
    )
    crime_type = forms.MultipleChoiceField(
        label="Crime types",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave them all unticked for every type, anti-social behaviour included",
        error_messages={"invalid_choice": "Select crime types from the list"},
    )
    keys = ("area", "date", "date_day", "date_month", "date_year", "before", "after",
            "crime_type")  # fmt: skip

    def __init__(self, data=None, *, crime_types: list[str], **kwargs):
        if data is not None and data.get("date") and not data.get("date_day"):
            # The link other pages make: ?area=…&date=YYYY-MM-DD.
            data = data.copy()
            year, _, rest = data["date"].partition("-")
            month, _, day = rest.partition("-")
            data.update({"date_day": day, "date_month": month, "date_year": year})
        super().__init__(data, **kwargs)
        self.fields["crime_type"].choices = [(t, t) for t in crime_types]
