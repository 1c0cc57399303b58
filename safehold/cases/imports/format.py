"""The historic cases CSV format (docs/formats/cases-csv.md): its columns, a row of it as
Python values, the header check, and a case written as a row.

Both directions live here because they must agree: validation compares a file's row with the
row a case already in Safehold would export (`case_rows`), and export writes those same rows
(safehold.cases.exports). Checking rows is validate.py; writing cases is apply.py.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import QuerySet

from safehold.cases.choices import OUTCOME_ENFORCEMENT, OUTCOME_INTERVENTIONS, OutcomeMeasure
from safehold.cases.models import Case, EnforcementAction, Intervention, Programme
from safehold.core.csvfiles import RowError, header_positions

COLUMNS = (
    "reference", "referral_date", "referral_source", "area", "exploitation_type", "status",
    "closed_date", "closure_reason", "tenancy_sustained", "outcome_measures", "subject_name",
    "subject_dob", "address", "postcode",
)  # fmt: skip
# Columns about the subject: an error never quotes their values (errors are stored and shown).
PERSONAL_COLUMNS = {"subject_name", "subject_dob", "address", "postcode"}
IMPORTED_NOTE = "Imported"
GEOGRAPHY_HINT = "ask your Safehold administrator to load the geography first"

# Which measure each intervention type or enforcement kind counts towards (for export), and
# what an imported measure is recorded as: the first entry of its list.
_MEASURE_OF_INTERVENTION = {
    code: measure for measure, codes in OUTCOME_INTERVENTIONS.items() for code in codes
}
_MEASURE_OF_ENFORCEMENT = {
    str(kind): measure for measure, kinds in OUTCOME_ENFORCEMENT.items() for kind in kinds
}
MEASURE_ORDER = {m.value: i for i, m in enumerate(OutcomeMeasure)}
_CHUNK = 900  # ids per IN (...) query, below every SQLite build's variable limit


def codes(choices) -> str:
    """The codes a column accepts, as an error message lists them."""
    return ", ".join(choices.values)


def chunks(items: list, size: int = _CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True)
class CaseRow:
    """One valid row of the file, parsed into Python values."""

    row: int
    reference: str
    referral_date: datetime.date
    referral_source: str
    area: str
    exploitation_type: str
    status: str
    closed_date: datetime.date | None
    closure_reason: str
    tenancy_sustained: bool | None
    outcome_measures: tuple[str, ...]
    subject_name: str
    subject_dob: datetime.date | None
    address: str
    postcode: str

    @property
    def given_name(self) -> str:
        """Everything before the last space ("Mary Ann Smith" -> "Mary Ann"); may be empty."""
        return self.subject_name.rpartition(" ")[0]

    @property
    def family_name(self) -> str:
        return self.subject_name.rpartition(" ")[2]

    def as_csv(self) -> dict[str, str]:
        """The row as export writes it, to compare with a case already in Safehold."""
        return {
            "reference": self.reference,
            "referral_date": self.referral_date.isoformat(),
            "referral_source": self.referral_source,
            "area": self.area,
            "exploitation_type": self.exploitation_type,
            "status": self.status,
            "closed_date": self.closed_date.isoformat() if self.closed_date else "",
            "closure_reason": self.closure_reason,
            "tenancy_sustained": yes_no(self.tenancy_sustained),
            "outcome_measures": ";".join(self.outcome_measures),
            "subject_name": self.subject_name,
            "subject_dob": self.subject_dob.isoformat() if self.subject_dob else "",
            "address": self.address,
            "postcode": self.postcode,
        }


@dataclass
class ImportPlan:
    """What validation found: the rows and the references already in Safehold unchanged."""

    programme: Programme
    file_name: str = ""
    rows: list[CaseRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    unchanged: set[str] = field(default_factory=set)
    rows_in_file: int = 0  # non-empty rows after the header, valid or not

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def total(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class ImportResult:
    created: int
    unchanged: int


def yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def clean(value: str) -> str:
    """Trim and collapse runs of whitespace, as a spreadsheet user would expect."""
    return " ".join(value.split())


def header(cells: list[str]) -> tuple[dict[str, int], list[RowError]]:
    """Where each column is; every missing, unknown or repeated column is an error."""
    return header_positions(
        cells,
        known=COLUMNS,
        required=COLUMNS,
        unknown=lambda name: (
            f"“{name}” is not a column of this format. The columns are: {', '.join(COLUMNS)}"
        ),
    )


def case_rows(cases: QuerySet[Case], *, with_cases: bool = False) -> Iterator:
    """Each case as a CSV row, with what it has recorded as outcome measures; three queries."""
    cases = cases.select_related("referral_source", "area", "subject", "location").order_by(
        "reference"
    )
    measures: dict = {}
    ids = cases.values("pk")
    for case_id, code in Intervention.objects.filter(case__in=ids).values_list(
        "case_id", "type_id"
    ):
        if code in _MEASURE_OF_INTERVENTION:
            measures.setdefault(case_id, set()).add(_MEASURE_OF_INTERVENTION[code])
    for case_id, kind in EnforcementAction.objects.filter(case__in=ids).values_list(
        "case_id", "kind"
    ):
        if kind in _MEASURE_OF_ENFORCEMENT:
            measures.setdefault(case_id, set()).add(_MEASURE_OF_ENFORCEMENT[kind])
    for case in cases.iterator(chunk_size=2000):
        location = case.location
        row = {
            "reference": case.reference,
            "referral_date": case.referral_date.isoformat(),
            "referral_source": case.referral_source.name if case.referral_source else "",
            "area": case.area.name if case.area else "",
            "exploitation_type": case.exploitation_type,
            "status": case.status,
            "closed_date": case.closed_on.isoformat() if case.closed_on else "",
            "closure_reason": case.closure_reason,
            "tenancy_sustained": yes_no(case.tenancy_sustained),
            "outcome_measures": ";".join(
                sorted(measures.get(case.pk, ()), key=lambda m: MEASURE_ORDER[m])
            ),
            "subject_name": clean(case.subject.full_name),
            "subject_dob": case.subject.date_of_birth.isoformat()
            if case.subject.date_of_birth
            else "",
            "address": location.address_line_1 if location else "",
            "postcode": location.postcode if location else "",
        }
        yield (case, row) if with_cases else row
