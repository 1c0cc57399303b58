"""Checking a historic cases file (docs/formats/cases-csv.md) without writing anything.

`validate` reads the whole file and returns a plan: the rows, or every error with its row and
column (not the first). A reference already in Safehold with the same content is "unchanged";
with different content it is an error, so re-running a file never duplicates or silently
merges. Checking takes the same number of queries however long the file is.
"""

import datetime
import re

from django.db.models import Count

from safehold.cases.choices import CaseStatus, ClosureReason, ExploitationType, OutcomeMeasure
from safehold.cases.imports.format import (
    COLUMNS,
    GEOGRAPHY_HINT,
    MEASURE_ORDER,
    PERSONAL_COLUMNS,
    CaseRow,
    ImportPlan,
    case_rows,
    chunks,
    clean,
    codes,
    header,
)
from safehold.cases.models import Case, Programme, ReferralSource
from safehold.core import dates
from safehold.core.csvfiles import ImportInvalid, RowError, decode, read_records, stray_cell_errors
from safehold.core.postcodes import POSTCODE_RE, normalise_postcode
from safehold.geography.models import LocalAuthority, NeighbourhoodArea

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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

        source = clean(cells["referral_source"])
        source = self.known_sources.get(source.casefold(), source)
        if len(source) > 200:
            error("referral_source", "the referral source must be 200 characters or fewer")

        area = clean(cells["area"])
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
                    f"{codes(OutcomeMeasure)}, separated by ;",
                )
            measures.append(code)
        measures.sort(key=lambda m: MEASURE_ORDER.get(m, 99))

        subject_name = clean(cells["subject_name"])
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
                error(column, f"enter {noun}: one of {codes(choices)}")
        elif code not in choices.values:
            error(column, f"“{value}” is not {noun}: enter one of {codes(choices)}")
        return code


def area_authority() -> LocalAuthority | None:
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
    positions, plan.errors = header(records[0][1])
    if plan.errors:
        return plan

    parser = _RowParser(
        programme=programme,
        today=dates.today(),
        can_add_areas=area_authority() is not None,
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
    for chunk in chunks(list(by_reference)):
        # Each programme has its own references: another programme's are not looked at (and
        # so never named to the importer).
        existing = Case.objects.filter(programme=plan.programme, reference__in=chunk)
        for _, current in case_rows(existing, with_cases=True):
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
        return clean(current) == clean(wanted)
    return current == wanted
