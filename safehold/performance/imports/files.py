"""Reading an import file: the header, the rows as {column: text}, and the checks every column
of both files shares. Errors are Safehold's one RowError (safehold/core/csvfiles.py) (row 1 is the header; row 0 the
file), so every import in Safehold reports problems the same way."""

import re
from dataclasses import dataclass, field

from safehold.core.csvfiles import (
    ImportInvalid,
    RowError,
    decode,
    header_positions,
    read_records,
    stray_cell_errors,
)

INDICATOR_COLUMNS = (
    "code", "name", "theme", "source", "unit", "polarity", "tolerance_percent", "frequency",
)  # fmt: skip
INDICATOR_OPTIONAL = ("decimal_places", "lead_officer", "notes")
VALUE_COLUMNS = ("code", "period", "value", "count", "break_in_series")
VALUE_OPTIONAL = ("area", "note")
CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9_.-]{0,39}$")
CODE_HINT = "up to 40 letters, numbers, hyphens, underscores or full stops, like DA-INCIDENTS"


@dataclass(frozen=True)
class ImportResult:
    """What an import did: rows new to Safehold, rows that changed something, rows as they were."""

    created: int
    changed: int
    unchanged: int

    def __str__(self) -> str:
        return f"{self.created} new, {self.changed} changed, {self.unchanged} unchanged"


@dataclass
class Table:
    columns: set[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def read_table(data: bytes | str, required: tuple, optional: tuple) -> Table:
    """The file's rows as {column: text}, with every header and stray-cell problem."""
    records = read_records(decode(data), skip_empty=True)
    if not records:
        raise ImportInvalid(
            [RowError(0, "", "the file is empty: the first row must name the columns")]
        )
    if records[0][0] != 1:
        raise ImportInvalid([RowError(1, "", "row 1 is empty: it must name the columns")])
    positions, errors = header_positions(
        records[0][1],
        known=(*required, *optional),
        required=required,
        unknown=lambda name: (
            f"“{name}” is not a column of this file. The columns are: "
            f"{', '.join(required)}, and optionally {', '.join(optional)}"
        ),
    )
    if errors:
        raise ImportInvalid(errors)
    table = Table(columns=set(positions))
    named = set(positions.values())
    for row, raw in records[1:]:
        table.errors += stray_cell_errors(row, raw, named)
        table.rows.append(
            (row, {name: raw[i] if i < len(raw) else "" for name, i in positions.items()})
        )
    return table


def code_of(cells: dict, error) -> str:
    code = cells["code"].strip().upper()
    if not code:
        error("code", f"enter the indicator's code: {CODE_HINT}")
    elif not CODE_RE.match(code):
        error("code", f"“{cells['code'].strip()}” is not a code: use {CODE_HINT}")
    return code


def choice_of(cells: dict, column: str, choices, noun: str, error) -> str:
    value = cells[column].strip()
    if value.lower() in choices.values:
        return value.lower()
    codes = ", ".join(choices.values)
    error(
        column,
        f"“{value}” is not {noun}: enter one of {codes}"
        if value
        else f"enter {noun}: one of {codes}",
    )
    return ""


def text_of(cells: dict, column: str, noun: str, limit: int, error, required: bool = True) -> str:
    value = " ".join(cells.get(column, "").split())
    if required and not value:
        error(column, f"enter {noun}")
    elif len(value) > limit:
        error(column, f"{noun[0].upper()}{noun[1:]} must be {limit} characters or fewer")
    return value


def parsed(cells: dict, column: str, parser, error, *args):
    try:
        return parser(cells[column], *args)
    except ValueError as exc:
        error(column, str(exc))
        return None


def sorted_errors(errors: list[RowError], columns: tuple) -> list[RowError]:
    return sorted(
        errors, key=lambda e: (e.row, columns.index(e.column) if e.column in columns else 99)
    )
