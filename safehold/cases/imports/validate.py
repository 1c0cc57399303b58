"""Historic cases in and out as CSV (docs/formats/cases-csv.md).

Import is two steps: `validate` reads and checks the whole file without writing anything and
returns a plan (the rows, or every error with its row and column); `apply` writes a valid plan
in one transaction through the case and people services, so every case is audited like one
opened by hand. A reference already in Safehold with the same content is "unchanged"; with
different content it is an error, so re-running a file never duplicates or silently merges.
"""

import datetime
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TextIO

from django.db import transaction
from django.db.models import Count, QuerySet

from safehold import audit
from safehold.accounts.models import User
from safehold.audit.choices import Action, Channel
from safehold.cases.choices import (
    OUTCOME_ENFORCEMENT,
    OUTCOME_INTERVENTIONS,
    CaseStatus,
    ClosureReason,
    EnforcementStatus,
    ExploitationType,
    OutcomeMeasure,
)
from safehold.cases.models import (
    Case,
    EnforcementAction,
    Intervention,
    InterventionType,
    Programme,
    ReferralSource,
)
from safehold.cases.services import cases as case_services
from safehold.cases.services import casework, enforcement
from safehold.cases.services.references import reserve_reference
from safehold.core import dates
from safehold.core.csvfiles import (
    ImportInvalid,
    RowError,
    decode,
    header_positions,
    read_records,
    stray_cell_errors,
)
from safehold.core.exports import csv_writer
from safehold.core.postcodes import POSTCODE_RE, normalise_postcode
from safehold.geography.models import LocalAuthority, NeighbourhoodArea
from safehold.imports import services as runs
from safehold.imports.models import ImportRun
from safehold.people import services as people_services
from safehold.people.models import Person

COLUMNS = (
    "reference", "referral_date", "referral_source", "area", "exploitation_type", "status",
    "closed_date", "closure_reason", "tenancy_sustained", "outcome_measures", "subject_name",
    "subject_dob", "address", "postcode",
)  # fmt: skip
# Columns about the subject: an error never quotes their values (errors are stored and shown).
PERSONAL_COLUMNS = {"subject_name", "subject_dob", "address", "postcode"}
IMPORTED_NOTE = "Imported"
GEOGRAPHY_HINT = "load the geography first (safehold geography load-stockport)"

# Which measure each intervention type or enforcement kind counts towards (for export), and
# what an imported measure is recorded as: the first entry of its list.
_MEASURE_OF_INTERVENTION = {
    code: measure for measure, codes in OUTCOME_INTERVENTIONS.items() for code in codes
}
_MEASURE_OF_ENFORCEMENT = {
    str(kind): measure for measure, kinds in OUTCOME_ENFORCEMENT.items() for kind in kinds
}
_MEASURE_ORDER = {m.value: i for i, m in enumerate(OutcomeMeasure)}
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CHUNK = 900  # ids per IN (...) query, below every SQLite build's variable limit

ProgressCallback = Callable[[int, int], None]


def _codes(choices) -> str:
    return ", ".join(choices.values)


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
            "tenancy_sustained": _yes_no(self.tenancy_sustained),
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


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def _clean(value: str) -> str:
    """Trim and collapse runs of whitespace, as a spreadsheet user would expect."""
    return " ".join(value.split())


# --- Reading the file -------------------------------------------------------------------------


def _header(cells: list[str]) -> tuple[dict[str, int], list[RowError]]:
    """Where each column is; every missing, unknown or repeated column is an error."""
    return header_positions(
        cells,
        known=COLUMNS,
        required=COLUMNS,
        unknown=lambda name: (
            f"“{name}” is not a column of this format. The columns are: {', '.join(COLUMNS)}"
        ),
    )


# --- Checking one row --------------------------------------------------------------------------


class _RowParser:
    """Turns one row's cells into a CaseRow, collecting every error rather than the first."""

    def __init__(self, *, programme: Programme, today: datetime.date, can_add_areas: bool):
        self.reference_re = re.compile(
            rf"^{re.escape(programme.reference_prefix)}-\d{{4}}-\d{{4,}}$"
        )
        self.prefix = programme.reference_prefix
        self.today = today
        self.can_add_areas = can_add_areas
        self.known_areas = {
            name.casefold(): name
            for name in NeighbourhoodArea.objects.values_list("name", flat=True)
        }
        self.known_sources = {
            name.casefold(): name for name in ReferralSource.objects.values_list("name", flat=True)
        }

    def parse(self, row: int, cells: dict[str, str]) -> CaseRow | list[RowError]:
        errors: list[RowError] = []

        def error(column: str, message: str) -> None:
            errors.append(RowError(row, column, message))

        reference = cells["reference"].strip().upper()
        example = f"{self.prefix}-2023-0042"
        if not reference:
            error("reference", f"enter the case reference, like {example}")
        elif not self.reference_re.match(reference) or len(reference) > 20:
            error(
                "reference",
                f"enter the case reference in the format {self.prefix}-YYYY-NNNN, like {example}",
            )

        referral_date = self._date(cells, "referral_date", "the referral date", error, True)
        if referral_date and referral_date > self.today:
            error("referral_date", "the referral date must be today or in the past")

        source = _clean(cells["referral_source"])
        source = self.known_sources.get(source.casefold(), source)
        if len(source) > 200:
            error("referral_source", "the referral source must be 200 characters or fewer")

        area = _clean(cells["area"])
        if area and area.casefold() in self.known_areas:
            area = self.known_areas[area.casefold()]
        elif len(area) > 100:
            error("area", "the area must be 100 characters or fewer")
        elif area and not self.can_add_areas:
            error(
                "area",
                f"“{area}” is not a neighbourhood in Safehold yet, and there is no local "
                f"authority to add it to: {GEOGRAPHY_HINT}, or leave area empty",
            )

        exploitation_type = self._code(
            cells, "exploitation_type", ExploitationType, "an exploitation type", error
        )

        status = cells["status"].strip().lower()
        if status not in CaseStatus.values:
            error("status", "enter open or closed")
        closed = status == CaseStatus.CLOSED

        closed_date = self._date(
            cells, "closed_date", "the date the case was closed", error, closed
        )
        closure_reason = self._code(
            cells, "closure_reason", ClosureReason, "a closure reason", error, required=closed
        )
        tenancy = cells["tenancy_sustained"].strip().lower()
        if tenancy not in ("yes", "no", ""):
            error("tenancy_sustained", "enter yes or no, or leave it empty if not known")
        if status == CaseStatus.OPEN:
            for column in ("closed_date", "closure_reason", "tenancy_sustained"):
                if cells[column].strip():
                    error(column, f"leave {column} empty for an open case, or make status closed")
        if closed_date and referral_date and closed_date < referral_date:
            error(
                "closed_date",
                "the closed date must be the same as or after the referral date "
                f"({referral_date.isoformat()})",
            )
        if closed_date and closed_date > self.today:
            error("closed_date", "the closed date must be today or in the past")

        measures = []
        for part in cells["outcome_measures"].split(";"):
            code = part.strip().lower()
            if not code or code in measures:
                continue
            if code not in OutcomeMeasure.values:
                error(
                    "outcome_measures",
                    f"“{part.strip()}” is not an outcome measure: use "
                    f"{_codes(OutcomeMeasure)}, separated by ;",
                )
            measures.append(code)
        measures.sort(key=lambda m: _MEASURE_ORDER.get(m, 99))

        subject_name = _clean(cells["subject_name"])
        given, _, family = subject_name.rpartition(" ")
        if not subject_name:
            error("subject_name", "enter the subject's name")
        elif len(given) > 100 or len(family) > 100:
            error("subject_name", "each part of the name must be 100 characters or fewer")
        dob = self._date(cells, "subject_dob", "the date of birth", error, False)
        if dob and referral_date and dob > referral_date:
            error(
                "subject_dob", "the date of birth must be the same as or before the referral date"
            )

        address = cells["address"].strip()
        if len(address) > 200:
            error("address", "the address must be 200 characters or fewer")
        postcode = normalise_postcode(cells["postcode"])
        if postcode and not POSTCODE_RE.match(postcode):
            error("postcode", "enter a real postcode, like SK1 3XE")

        if errors:
            return errors
        return CaseRow(
            row=row,
            reference=reference,
            referral_date=referral_date,
            referral_source=source,
            area=area,
            exploitation_type=exploitation_type,
            status=status,
            closed_date=closed_date,
            closure_reason=closure_reason,
            tenancy_sustained={"yes": True, "no": False}.get(tenancy),
            outcome_measures=tuple(measures),
            subject_name=subject_name,
            subject_dob=dob,
            address=address,
            postcode=postcode,
        )

    @staticmethod
    def _date(cells, column: str, noun: str, error, required: bool) -> datetime.date | None:
        value = cells[column].strip()
        if not value:
            if required:
                error(column, f"enter {noun} in the format YYYY-MM-DD, like 2023-04-30")
            return None
        if not _DATE_RE.match(value):
            error(column, "enter a date in the format YYYY-MM-DD, like 2023-04-30")
            return None
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            error(column, "enter a real date in the format YYYY-MM-DD, like 2023-04-30")
            return None

    @staticmethod
    def _code(cells, column: str, choices, noun: str, error, required: bool = True) -> str:
        value = cells[column].strip()
        code = value.lower()
        if not code:
            if required:
                error(column, f"enter {noun}: one of {_codes(choices)}")
        elif code not in choices.values:
            error(column, f"“{value}” is not {noun}: enter one of {_codes(choices)}")
        return code


# --- Validating the whole file ----------------------------------------------------------------


def _area_authority() -> LocalAuthority | None:
    """Where a new neighbourhood goes: the local authority most existing neighbourhoods are in,
    or the only local authority Safehold knows. Agencies do not record a local authority."""
    busiest = (
        NeighbourhoodArea.objects.values("local_authority")
        .annotate(n=Count("pk"))
        .order_by("-n", "local_authority")
        .first()
    )
    if busiest:
        return LocalAuthority.objects.get(pk=busiest["local_authority"])
    authorities = list(LocalAuthority.objects.all()[:2])
    return authorities[0] if len(authorities) == 1 else None


def _chunks(items: list, size: int = _CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def validate(*, data: bytes | str, programme: Programme, file_name: str = "") -> ImportPlan:
    """Read and check the whole file; writes nothing. Every problem is listed, not the first."""
    plan = ImportPlan(programme=programme, file_name=file_name)
    try:
        records = read_records(decode(data))
    except ImportInvalid as exc:
        plan.errors = exc.errors
        return plan
    records = [(n, cells) for n, cells in records if any(c.strip() for c in cells)]
    if not records:
        plan.errors = [RowError(0, "", "the file is empty: the first row must name the columns")]
        return plan
    if records[0][0] != 1:
        plan.errors = [RowError(1, "", "row 1 is empty: it must name the columns")]
        return plan
    plan.rows_in_file = len(records) - 1
    positions, plan.errors = _header(records[0][1])
    if plan.errors:
        return plan

    parser = _RowParser(
        programme=programme,
        today=dates.today(),
        can_add_areas=_area_authority() is not None,
    )
    named = set(positions.values())
    first_row: dict[str, int] = {}
    for row, raw in records[1:]:
        plan.errors += stray_cell_errors(row, raw, named)
        cells = {name: raw[i] if i < len(raw) else "" for name, i in positions.items()}
        parsed = parser.parse(row, cells)
        if isinstance(parsed, list):
            plan.errors += parsed
            continue
        if parsed.reference in first_row:
            plan.errors.append(
                RowError(
                    row,
                    "reference",
                    f"{parsed.reference} is also on row {first_row[parsed.reference]}: "
                    "each case must appear once",
                )
            )
            continue
        first_row[parsed.reference] = row
        plan.rows.append(parsed)

    plan.errors += _compare_with_existing(plan)
    plan.errors.sort(key=lambda e: (e.row, COLUMNS.index(e.column) if e.column in COLUMNS else 99))
    if plan.errors:
        plan.unchanged = set()
    return plan


def _compare_with_existing(plan: ImportPlan) -> list[RowError]:
    """References already in Safehold: unchanged if every column matches, else an error per
    column that differs. Fetched in a fixed number of queries per 900 references."""
    by_reference = {r.reference: r for r in plan.rows}
    errors = []
    for chunk in _chunks(list(by_reference)):
        # Each programme has its own references: another programme's are not looked at (and
        # so never named to the importer).
        existing = Case.objects.filter(programme=plan.programme, reference__in=chunk)
        for _, current in _case_rows(existing, with_cases=True):
            row = by_reference[current["reference"]]
            wanted = row.as_csv()
            differs = [c for c in COLUMNS if not _same(c, current[c], wanted[c])]
            for column in differs:
                values = (
                    ""
                    if column in PERSONAL_COLUMNS
                    else f" (Safehold has “{current[column]}”, the file has “{wanted[column]}”)"
                )
                errors.append(
                    RowError(
                        row.row,
                        column,
                        f"case {row.reference} is already in Safehold with a different "
                        f"{column}{values}. An import never changes existing cases: correct "
                        "the case in Safehold, or make the file match it",
                    )
                )
            if not differs:
                plan.unchanged.add(row.reference)
    return errors


def _same(column: str, current: str, wanted: str) -> bool:
    if column in ("referral_source", "area"):
        return current.casefold() == wanted.casefold()
    if column in ("subject_name", "address"):
        return _clean(current) == _clean(wanted)
    return current == wanted


# --- Writing ----------------------------------------------------------------------------------


class _PeopleIndex:
    """The lead agency's people by (given name, family name, date of birth), fetched in chunks of
    family names. Only people with a known date of birth are matched: a name alone is too weak."""

    def __init__(self, agency, rows: Iterable[CaseRow]):
        self.agency = agency
        self.people: dict[tuple, Person] = {}
        families = sorted({r.family_name for r in rows if r.subject_dob})
        for chunk in _chunks(families):
            for person in Person.objects.filter(
                owning_agency=agency, family_name__in=chunk, date_of_birth__isnull=False
            ).order_by("created_at"):
                self.people.setdefault(self._key(person), person)

    @staticmethod
    def _key(person: Person) -> tuple:
        return (person.given_name, person.family_name, person.date_of_birth)

    def get_or_create(self, row: CaseRow, by: User | None) -> Person:
        key = (row.given_name, row.family_name, row.subject_dob)
        if row.subject_dob and key in self.people:
            return self.people[key]
        person = people_services.create_person(
            owning_agency=self.agency,
            given_name=row.given_name,
            family_name=row.family_name,
            date_of_birth=row.subject_dob,
            by=by,
        )
        if row.subject_dob:
            self.people[key] = person
        return person


class _Writer:
    """Writes one row through the services, with the lookups every row shares held in memory."""

    def __init__(self, *, programme: Programme, rows: list[CaseRow], by: User | None):
        self.programme, self.agency, self.by = programme, programme.lead_agency, by
        self.sources = {s.name.casefold(): s for s in ReferralSource.objects.all()}
        self.areas = {a.name.casefold(): a for a in NeighbourhoodArea.objects.all()}
        self.authority: LocalAuthority | None = None
        self.types = InterventionType.objects.in_bulk()
        self.people = _PeopleIndex(self.agency, rows)

    def source(self, row: CaseRow) -> ReferralSource | None:
        if not row.referral_source:
            return None
        key = row.referral_source.casefold()
        if key not in self.sources:
            self.sources[key] = ReferralSource.objects.create(name=row.referral_source)
        return self.sources[key]

    def area(self, row: CaseRow) -> NeighbourhoodArea | None:
        if not row.area:
            return None
        key = row.area.casefold()
        if key not in self.areas:
            self.authority = self.authority or _area_authority()
            if self.authority is None:  # validate() checked; the geography has gone since
                raise ImportInvalid([RowError(row.row, "area", GEOGRAPHY_HINT)])
            self.areas[key] = NeighbourhoodArea.objects.create(
                name=row.area, local_authority=self.authority
            )
        return self.areas[key]

    def write(self, row: CaseRow) -> Case:
        by, agency = self.by, self.agency
        location = None
        if row.address or row.postcode:
            location = people_services.create_location(
                owning_agency=agency, by=by, address_line_1=row.address, postcode=row.postcode
            )
        case = case_services.open_case(
            programme=self.programme,
            reference=row.reference,
            referral_date=row.referral_date,
            referral_source=self.source(row),
            subject=self.people.get_or_create(row, by),
            location=location,
            area=self.area(row),
            exploitation_type=row.exploitation_type,
            by=by,
        )
        # Outcomes before closure: a closed case is read-only.
        for measure in row.outcome_measures:
            if measure in OUTCOME_INTERVENTIONS:
                casework.add_intervention(
                    case=case,
                    by=by,
                    type=self.types[OUTCOME_INTERVENTIONS[measure][0]],
                    agency=agency,
                    started_on=row.referral_date,
                    notes=IMPORTED_NOTE,
                )
            else:
                enforcement.add_enforcement(
                    case=case,
                    by=by,
                    kind=OUTCOME_ENFORCEMENT[measure][0],
                    status=EnforcementStatus.IN_FORCE,
                    agency=agency,
                    started_on=row.referral_date,
                    notes=IMPORTED_NOTE,
                )
        if row.status == CaseStatus.CLOSED:
            case_services.close_case(
                case=case,
                by=by,
                reason=row.closure_reason,
                closed_on=row.closed_date,
                tenancy_sustained=row.tenancy_sustained,
                notes=IMPORTED_NOTE,
            )
        return case


def _highest_references(rows: Iterable[CaseRow]) -> list[str]:
    """The highest reference of each prefix and year, to reserve once each."""
    highest: dict[tuple[str, str], tuple[int, str]] = {}
    for row in rows:
        prefix, year, number = row.reference.rsplit("-", 2)
        if int(number) > highest.get((prefix, year), (-1, ""))[0]:
            highest[(prefix, year)] = (int(number), row.reference)
    return [reference for _, reference in highest.values()]


def apply(
    *, plan: ImportPlan, by: User | None, progress: ProgressCallback | None = None
) -> ImportResult:
    """Write a valid plan in one transaction: all of it, or (on any error) none of it."""
    if plan.errors:
        raise ImportInvalid(plan.errors)
    new_rows = [r for r in plan.rows if r.reference not in plan.unchanged]
    with transaction.atomic():
        # Someone may have added one of these references since the file was checked.
        taken = set()
        for chunk in _chunks([r.reference for r in new_rows]):
            taken |= set(
                Case.objects.filter(programme=plan.programme, reference__in=chunk).values_list(
                    "reference", flat=True
                )
            )
        if taken:
            raise ImportInvalid(
                [
                    RowError(
                        r.row,
                        "reference",
                        f"{r.reference} was added to Safehold while the file was being "
                        "checked: import the file again",
                    )
                    for r in new_rows
                    if r.reference in taken
                ]
            )
        writer = _Writer(programme=plan.programme, rows=new_rows, by=by)
        # One append of all the import's audit events at the end, so the chain head is not
        # locked (and other users' requests not held up) for the length of the import.
        with audit.batched():
            for done, row in enumerate(plan.rows, start=1):
                if row.reference not in plan.unchanged:
                    writer.write(row)
                if progress:
                    progress(done, plan.total)
            # Numbers handed out later follow the highest imported reference of each year.
            for reference in _highest_references(new_rows):
                reserve_reference(programme=plan.programme, reference=reference)
            result = ImportResult(created=len(new_rows), unchanged=len(plan.unchanged))
            audit.record(
                action=Action.COLLECT,
                actor=by,
                object_type="cases.case",
                purpose=f"historic cases imported into {plan.programme.name}"
                f"{f' from {plan.file_name}' if plan.file_name else ''}: "
                f"{result.created} new, {result.unchanged} unchanged",
            )
    return result


def import_cases(
    *,
    data: bytes | str,
    programme: Programme,
    by: User | None,
    file_name: str = "",
    progress: ProgressCallback | None = None,
) -> ImportResult:
    """Validate, then apply; raises ImportInvalid (and writes nothing) if the file has errors."""
    plan = validate(data=data, programme=programme, file_name=file_name)
    return apply(plan=plan, by=by, progress=progress)


# --- Import runs (the upload page; the mechanism is safehold.imports) ---------------------

KIND = "cases"  # the kind of import run, registered in CasesConfig.ready()


def process_run(run: ImportRun, data: bytes, *, programme: str) -> None:
    """A worker's part of an upload: check the kept file, then import all of it or, on any
    error, none; the result (or every error by row and column) is recorded on the run."""
    plan = validate(
        data=data,
        programme=Programme.objects.select_related("lead_agency", "asb_team").get(pk=programme),
        file_name=run.file_name,
    )
    run.total_rows = plan.rows_in_file
    if plan.errors:
        runs.fail_run(run, plan.errors)
        return
    run.status = ImportRun.Status.IMPORTING
    run.save(update_fields=["status", "total_rows", "modified_at"])
    try:
        with transaction.atomic():
            result = apply(plan=plan, by=run.uploaded_by, progress=runs.progress_reporter(run))
    except ImportInvalid as exc:
        runs.fail_run(run, exc.errors)
        return
    run.status = ImportRun.Status.DONE
    run.processed_rows = plan.total
    run.created_cases, run.unchanged_cases = result.created, result.unchanged
    run.save()


# --- Export -----------------------------------------------------------------------------------


def _case_rows(cases: QuerySet[Case], *, with_cases: bool = False) -> Iterator:
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
            "tenancy_sustained": _yes_no(case.tenancy_sustained),
            "outcome_measures": ";".join(
                sorted(measures.get(case.pk, ()), key=lambda m: _MEASURE_ORDER[m])
            ),
            "subject_name": _clean(case.subject.full_name),
            "subject_dob": case.subject.date_of_birth.isoformat()
            if case.subject.date_of_birth
            else "",
            "address": location.address_line_1 if location else "",
            "postcode": location.postcode if location else "",
        }
        yield (case, row) if with_cases else row


def export_cases(
    *, cases: QuerySet[Case], out: TextIO, by: User | None, purpose: str = "case export"
) -> int:
    """Write cases to `out` in the import format and record the export (one consult event
    naming every case and subject). Returns the number of cases written."""
    writer = csv_writer(out)
    writer.writerow(COLUMNS)
    case_ids, subject_ids = [], []
    for case, row in _case_rows(cases, with_cases=True):
        writer.writerow([row[c] for c in COLUMNS])
        case_ids.append(case.pk)
        subject_ids.append(case.subject_id)
    audit.record(
        action=Action.CONSULT,
        actor=by,
        object_type="cases.case",
        object_ids=case_ids,
        subjects=subject_ids,
        purpose=f"{purpose}: {len(case_ids)} case(s) as CSV",
        channel=Channel.EXPORT,
    )
    return len(case_ids)
