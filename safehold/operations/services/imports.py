"""Importing historic operations and their results from a CSV file (docs/formats/operations.md):
the whole file is checked first; any problem and nothing is imported; a row whose key was
imported before is left as it is, so importing the same file again changes nothing."""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from safehold import audit
from safehold.accounts.models import Agency, User
from safehold.audit.choices import Action
from safehold.core.csvfiles import (
    ImportInvalid,
    RowError,
    decode,
    header_positions,
    read_records,
    stray_cell_errors,
)
from safehold.geography.models import Lsoa, Ward
from safehold.operations import rules
from safehold.operations.choices import DrugUnit, OperationKind, Phase
from safehold.operations.models import Operation
from safehold.operations.services.planning import plan_operation
from safehold.operations.services.results import record_results

REQUIRED = ("key", "name", "kind", "lead_agency", "starts_at")
COUNT_COLUMNS = (
    "warrants_executed", "arrests", "phones_seized", "weapons_seized", "other_items_seized",
    "safeguarding_referrals", "vulnerable_residents_found", "closure_notices_served",
    "closure_orders_made", "letters_delivered", "doors_knocked",
)  # fmt: skip
OPTIONAL = (
    "partner_agencies", "ward_code", "lsoa_code", "area", "phase", "briefing", *COUNT_COLUMNS,
    "arrest_offences", "cash_seized", "drugs", "other_items",
)  # fmt: skip
COLUMNS = REQUIRED + OPTIONAL
UNKNOWN_OFFENCE = "Not recorded in the imported file"
_DRUG = re.compile(r"^(?P<drug>.*?\S)\s+(?P<quantity>\d+(?:\.\d{1,2})?)\s*(?P<unit>[a-z]+)$", re.I)
_UNITS = {u.lower(): u for u in DrugUnit.values} | {"grams": "g", "gram": "g", "wrap": "wraps"}


@dataclass
class Imported:
    created: int
    unchanged: int


@dataclass
class _Row:
    number: int
    key: str
    plan: dict
    results: dict


def _choice(text: str, choices) -> str | None:
    """A value of `choices` given by its code or its label, any case."""
    wanted = text.strip().lower()
    for value, label in choices.choices:
        if wanted in (value.lower(), label.lower()):
            return value
    return None


def _starts_at(text: str) -> datetime.datetime | None:
    for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d"):
        try:
            moment = datetime.datetime.strptime(text.strip(), pattern)
        except ValueError:
            continue
        return timezone.make_aware(moment, timezone.get_current_timezone())
    return None


def _parse_row(number: int, cells: list[str], at: dict, lookups: dict) -> tuple[_Row | None, list]:
    def cell(name: str) -> str:
        index = at.get(name)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    errors = []

    def error(column: str, message: str) -> None:
        errors.append(RowError(number, column, message))

    for name in REQUIRED:
        if not cell(name):
            error(name, f"enter the {name.replace('_', ' ')}")
    kind = _choice(cell("kind"), OperationKind)
    if cell("kind") and kind is None:
        error("kind", f"the kind must be one of: {', '.join(OperationKind.labels)}")
    phase = _choice(cell("phase") or "clear", Phase)
    if phase is None:
        error("phase", "the phase must be clear, hold or build")
    lead = lookups["agencies"].get(cell("lead_agency").lower())
    if cell("lead_agency") and lead is None:
        error("lead_agency", f"there is no agency called {cell('lead_agency')!r}")
    elif lead is not None and lookups["user"] is not None and lead.pk != lookups["user"].agency_id:
        error("lead_agency", "you can import only operations your agency led")
    partners = []
    for name in filter(None, (p.strip() for p in cell("partner_agencies").split(";"))):
        agency = lookups["agencies"].get(name.lower())
        if agency is None:
            error("partner_agencies", f"there is no agency called {name!r}")
        else:
            partners.append(agency)
    starts_at = _starts_at(cell("starts_at")) if cell("starts_at") else None
    if cell("starts_at") and starts_at is None:
        error("starts_at", "enter the date as YYYY-MM-DD, or YYYY-MM-DD HH:MM")
    elif starts_at is not None and starts_at > timezone.now():
        error("starts_at", "the operation must have started already to have results")
    ward = lsoa = None
    if cell("ward_code"):
        ward = lookups["wards"].get(cell("ward_code").upper())
        if ward is None:
            error("ward_code", f"there is no ward with the code {cell('ward_code')}")
    if cell("lsoa_code"):
        lsoa = lookups["lsoas"].get(cell("lsoa_code").upper())
        if lsoa is None:
            error("lsoa_code", f"there is no LSOA with the code {cell('lsoa_code')}")
    counts = {}
    for name in COUNT_COLUMNS:
        text = cell(name) or "0"
        if not text.isdigit():
            error(name, "enter a whole number, 0 or more (or leave it empty)")
        else:
            counts[name] = int(text)
    offences = [o.strip() for o in cell("arrest_offences").split(";") if o.strip()]
    arrests = counts.pop("arrests", 0)
    if offences and len(offences) != arrests:
        error(
            "arrest_offences",
            f"name one offence for each of the {arrests} arrests, separated by semicolons, "
            "or leave it empty",
        )
    try:
        cash = Decimal(cell("cash_seized").lstrip("£").replace(",", "") or "0")
        if cash < 0 or cash != cash.quantize(Decimal("0.01")):
            raise InvalidOperation
    except InvalidOperation:
        error("cash_seized", "enter an amount in pounds, such as 1250.00")
        cash = Decimal("0")
    drugs = []
    for text in filter(None, (d.strip() for d in cell("drugs").split(";"))):
        found = _DRUG.match(text)
        unit = _UNITS.get(found["unit"].lower()) if found else None
        if not found or unit is None or Decimal(found["quantity"]) <= 0:
            error(
                "drugs",
                f"write each drug as type, quantity and unit (g, wraps, plants or tablets), such as “crack cocaine 12.5 g”, not {text!r}",
            )
        else:
            drugs.append((found["drug"], Decimal(found["quantity"]), unit))
    if errors:
        return None, errors
    plan = dict(
        name=cell("name"), kind=kind, starts_at=starts_at, owning_agency=lead, partners=partners,
        briefing=cell("briefing"), ward=ward, lsoa=lsoa, area_description=cell("area"),
        phase=phase, import_key=cell("key"),
    )  # fmt: skip
    results = dict(
        offences=offences or [UNKNOWN_OFFENCE] * arrests, drugs=drugs, cash_seized=cash,
        other_items_description=cell("other_items"), **counts,
    )  # fmt: skip
    return _Row(number, cell("key"), plan, results), []


def check_file(data: bytes | str, *, by: User | None) -> list[_Row]:
    """Every row of the file, checked; ImportInvalid with every problem found, row by row."""
    records = read_records(decode(data), skip_empty=True)
    if not records or records[0][0] != 1:
        raise ImportInvalid([RowError(0, "", "the file is empty: it needs a header row")])
    at, errors = header_positions(
        records[0][1], known=COLUMNS, required=REQUIRED,
        unknown=lambda name: f"{name!r} is not a column of the operations file "
        "(docs/formats/operations.md)",
    )  # fmt: skip
    if errors:
        raise ImportInvalid(errors)
    if by is not None and not rules.can_plan(by):
        raise ImportInvalid([RowError(0, "", "your role cannot import operations")])
    lookups = {
        "user": by,
        "agencies": {a.name.lower(): a for a in Agency.objects.all()},
        "wards": {w.code: w for w in Ward.objects.all()},
        "lsoas": {lsoa.code: lsoa for lsoa in Lsoa.objects.select_related("ward")},
    }
    rows, seen = [], {}
    for number, cells in records[1:]:
        errors += stray_cell_errors(number, cells, set(at.values()))
        key = cells[at["key"]].strip() if at["key"] < len(cells) else ""
        if key and key in seen:
            errors.append(RowError(number, "key", f"the key {key} is also in row {seen[key]}"))
        seen.setdefault(key, number)
        row, problems = _parse_row(number, cells, at, lookups)
        errors += problems
        if row is not None:
            rows.append(row)
    if not rows and not errors:
        errors.append(RowError(0, "", "the file has a header row but no operations"))
    if errors:
        raise ImportInvalid(errors)
    return rows


@transaction.atomic
def import_operations(*, data: bytes | str, by: User | None) -> Imported:
    """Check the whole file, then import every operation not imported before, or nothing."""
    rows = check_file(data, by=by)
    known = set(
        Operation.objects.exclude(import_key="").values_list("owning_agency_id", "import_key")
    )
    created = 0
    for row in rows:
        if (row.plan["owning_agency"].pk, row.key) in known:
            continue
        # The file's user (or the command line's operator) plans it for the lead agency.
        operation = plan_operation(by=None, **row.plan)
        operation.planned_by = by
        operation.save(update_fields=["planned_by", "modified_at"])
        record_results(operation=operation, by=None, **row.results)
        created += 1
    audit.record(
        action=Action.COLLECT, actor=by, object_type="operations.operation",
        purpose=f"operations imported: {created} new, {len(rows) - created} already imported",
    )  # fmt: skip
    return Imported(created=created, unchanged=len(rows) - created)
