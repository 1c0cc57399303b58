"""The columns of each kind of partner extract and the check of a whole file: every problem by
row and column, and the rows as an Arrow table when there is none (docs/formats/partner-extracts.md).

A cell is data: one that looks like a spreadsheet formula (`=…`, `+…`, `-…`, `@…`) in a text
column is kept as the text it is, never refused and never run (exports escape it)."""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pyarrow as pa

from safehold.core import dates
from safehold.core.csvfiles import (
    ImportInvalid,
    RowError,
    decode,
    header_positions,
    read_records,
    stray_cell_errors,
)
from safehold.partners.choices import ExtractKind

MAX_TEXT = 1000  # characters in any one cell
UK_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
SEXES = {"m", "f", "male", "female", "u", "unknown", "x", "other", "not known", "not stated"}
TENANT_SEPARATOR = ";"


class CellProblem(ValueError):
    """A cell's value is not what its column takes (the message says what it must be)."""


def _text(value: str) -> str:
    return value


def _date(value: str) -> datetime.date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise CellProblem("must be a real date, like 2026-03-31 or 31/03/2026")


def _past_date(value: str) -> datetime.date:
    day = _date(value)
    if day > dates.today():
        raise CellProblem("must be today or in the past")
    return day


def _sex(value: str) -> str:
    if value.lower() not in SEXES:
        raise CellProblem("must be M, F, Male, Female, U, Unknown, X or Other, or blank")
    return value


def _postcode(value: str) -> str:
    postcode = " ".join(value.upper().split())
    if not UK_POSTCODE.match(postcode):
        raise CellProblem("must be a UK postcode, like SK1 3XE")
    return postcode


def _uprn(value: str) -> str:
    if not value.isdigit() or len(value) > 12:
        raise CellProblem("must be a UPRN: up to 12 digits")
    return value


def _money(value: str) -> Decimal:
    cleaned = value.replace("£", "").replace(",", "")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise CellProblem("must be an amount in pounds, like 125.50 or -20.00") from None
    if not amount.is_finite() or abs(amount) >= Decimal("1e10"):
        raise CellProblem("must be an amount in pounds, like 125.50 or -20.00")
    return amount.quantize(Decimal("0.01"))


def _weeks(value: str) -> float:
    try:
        weeks = float(value)
    except ValueError:
        raise CellProblem("must be a number of weeks, like 3 or 2.5") from None
    if not 0 <= weeks < 10_000:
        raise CellProblem("must be a number of weeks from 0, like 3 or 2.5")
    return weeks


def _record_ids(value: str) -> list[str]:
    ids = [part.strip() for part in value.split(TENANT_SEPARATOR) if part.strip()]
    if not ids:
        raise CellProblem("must name at least one tenant's record_id, separated by “;”")
    return ids


@dataclass(frozen=True)
class Column:
    """One column of a kind: its name, whether a value is required, how a cell is read, and
    its Arrow type in the stored Parquet."""

    name: str
    type: pa.DataType
    parse: Callable[[str], object] = _text
    required: bool = False


TEXT = pa.string()
DATE = pa.date32()

COLUMNS: dict[str, tuple[Column, ...]] = {
    ExtractKind.PEOPLE: (
        Column("record_id", TEXT, required=True),
        Column("first_name", TEXT),
        Column("surname", TEXT),
        Column("other_names", TEXT),
        Column("date_of_birth", DATE, _past_date),
        Column("sex", TEXT, _sex),
        Column("postcode", TEXT, _postcode),
        Column("address", TEXT),
        Column("uprn", TEXT, _uprn),
        # The person's ethnic group as the agency records it (ONS 2021 categories, high level
        # or detailed): used only for the linkage fairness report's figures, never compared.
        Column("ethnicity", TEXT),
    ),
    ExtractKind.TENANCIES: (
        Column("tenancy_ref", TEXT, required=True),
        Column("record_ids", pa.list_(pa.string()), _record_ids, required=True),
        Column("uprn", TEXT, _uprn),
        Column("address", TEXT),
        Column("start_date", DATE, _date),
        Column("end_date", DATE, _date),
        Column("tenure", TEXT),
        Column("rent_balance", pa.decimal128(12, 2), _money),
        Column("arrears_weeks", pa.float64(), _weeks),
    ),
    ExtractKind.INCIDENTS: (
        Column("record_id", TEXT, required=True),
        Column("date", DATE, _past_date, required=True),
        Column("category", TEXT, required=True),
        Column("postcode", TEXT, _postcode),
    ),
    ExtractKind.ATTENDANCES: (
        Column("record_id", TEXT, required=True),
        Column("date", DATE, _past_date, required=True),
        Column("category", TEXT, required=True),
    ),
}
# The column whose values must not repeat within one extract (none: a person has many).
UNIQUE: dict[str, str | None] = {
    ExtractKind.PEOPLE: "record_id",
    ExtractKind.TENANCIES: "tenancy_ref",
    ExtractKind.INCIDENTS: None,
    ExtractKind.ATTENDANCES: None,
}


def schema(kind: str) -> pa.Schema:
    return pa.schema([(c.name, c.type) for c in COLUMNS[kind]])


def validate_extract(*, kind: str, data: bytes) -> pa.Table:
    """The file's rows as a table of the kind's schema, or ImportInvalid with every problem
    (row 1 is the header, row 2 the first record). Columns may come in any order; a column
    that is not required may be left out of the file (its values are then blank)."""
    columns = COLUMNS[kind]
    records = read_records(decode(data), skip_empty=True)
    if not records or records[0][0] != 1:
        raise ImportInvalid([RowError(0, "", "the file is empty: it needs a header row")])
    known = [c.name for c in columns]
    positions, errors = header_positions(
        records[0][1],
        known=known,
        required=[c.name for c in columns if c.required],
        unknown=lambda name: (
            f"“{name}” is not a column of a {kind} extract: the columns are " + ", ".join(known)
        ),
    )
    if errors:
        raise ImportInvalid(errors)
    body = records[1:]
    if not body:
        raise ImportInvalid([RowError(0, "", "the file has a header row but no records")])
    values: dict[str, list] = {c.name: [] for c in columns}
    unique = UNIQUE[kind]
    first_seen: dict[str, int] = {}
    for row, cells in body:
        errors += stray_cell_errors(row, cells, positions.values())
        parsed: dict[str, object] = {}
        for column in columns:
            index = positions.get(column.name)
            cell = cells[index].strip() if index is not None and index < len(cells) else ""
            parsed[column.name] = None
            if not cell:
                if column.required:
                    errors.append(RowError(row, column.name, f"enter the {column.name}"))
                continue
            if len(cell) > MAX_TEXT:
                errors.append(RowError(row, column.name, f"must be {MAX_TEXT} characters or fewer"))
                continue
            try:
                parsed[column.name] = column.parse(cell)
            except CellProblem as problem:
                errors.append(RowError(row, column.name, str(problem)))
        errors += _row_rules(kind, row, parsed)
        if unique and parsed[unique] is not None:
            if parsed[unique] in first_seen:
                errors.append(
                    RowError(
                        row,
                        unique,
                        f"“{parsed[unique]}” is already on row {first_seen[parsed[unique]]}:"
                        f" each {unique} appears once",
                    )
                )
            else:
                first_seen[parsed[unique]] = row
        for name, value in parsed.items():
            values[name].append(value)
    if errors:
        raise ImportInvalid(errors)
    return pa.table(values, schema=schema(kind))


def _row_rules(kind: str, row: int, parsed: dict) -> list[RowError]:
    if kind == ExtractKind.TENANCIES:
        start, end = parsed.get("start_date"), parsed.get("end_date")
        if start and end and end < start:
            return [RowError(row, "end_date", "must be the same as or after the start_date")]
    return []
