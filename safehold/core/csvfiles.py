"""Reading an uploaded CSV file and reporting its problems where a spreadsheet user finds them:
the one way every import in Safehold (cases, incident logs, performance indicators) reads a
file, checks its header row and names a row and a column."""

import csv
import io
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from safehold.core.text import control_character_problem, has_control_character


@dataclass(frozen=True)
class RowError:
    """One problem: row 1 is the header, row 2 the first record; row 0 is the whole file."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if not self.row:
            return self.message[:1].upper() + self.message[1:]
        return f"Row {self.row}{f', {self.column}' if self.column else ''}: {self.message}"

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


class ImportInvalid(Exception):
    """The file has errors; nothing was written."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} error(s) in the file; nothing was imported")
        self.errors = errors


NOT_UTF8 = (
    "the file is not UTF-8 text: in Excel, use Save As and choose “CSV UTF-8 (Comma delimited)”"
)


def decode(data: bytes | str) -> str:
    """UTF-8 text without a byte order mark, or an error naming the fix."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportInvalid([RowError(0, "", NOT_UTF8)]) from exc


def not_csv(line: int, exc: csv.Error) -> RowError:
    """The problem of a file the csv module cannot read (a field beyond its size limit, a NUL
    byte in a quoted field), at the line it stopped on."""
    return RowError(line, "", f"the file cannot be read as CSV ({exc})")


def read_records(text: str, *, skip_empty: bool = False) -> list[tuple[int, list[str]]]:
    """Every record with its spreadsheet row number (a quoted line break stays in one row);
    with `skip_empty`, only the records that have something in them."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        records = list(enumerate(reader, start=1))
    except csv.Error as exc:
        raise ImportInvalid([not_csv(reader.line_num, exc)]) from exc
    if has_control_character(text):
        raise ImportInvalid(control_character_errors(records))
    if skip_empty:
        return [(n, cells) for n, cells in records if any(c.strip() for c in cells)]
    return records


def header_positions(
    cells: list[str],
    *,
    known: Collection[str],
    required: Sequence[str],
    unknown: Callable[[str], str],
) -> tuple[dict[str, int], list[RowError]]:
    """Where each column of row 1 is (names trimmed, any case), and an error for every repeated
    or unknown column (`unknown(name)` says what the format's columns are) and every required
    one missing. An unnamed column is allowed if it stays empty (`stray_cell_errors`)."""
    positions: dict[str, int] = {}
    errors = []
    for index, cell in enumerate(cells):
        name = cell.strip().lower()
        if not name:
            continue
        if name in positions:
            errors.append(RowError(1, name, f"the {name} column appears more than once"))
        elif name not in known:
            errors.append(RowError(1, cell.strip(), unknown(cell.strip())))
        else:
            positions[name] = index
    errors += [
        RowError(1, name, f"the header has no {name} column")
        for name in required
        if name not in positions
    ]
    return positions, errors


def stray_cell_errors(row: int, cells: list[str], named: Collection[int]) -> list[RowError]:
    """A value under a column with no name in row 1 is an error (it would be silently lost)."""
    return [
        RowError(
            row,
            f"column {column_letter(index)}",
            "there is a value here, but this column has no name in row 1",
        )
        for index, cell in enumerate(cells)
        if index not in named and cell.strip()
    ]


def control_character_errors(records: list[tuple[int, list[str]]]) -> list[RowError]:
    """Every cell holding a control character (a NUL byte above all: PostgreSQL cannot store
    one), by row and by the column's name in row 1 (its letter where row 1 has none)."""
    header = [c.strip().lower() for c in records[0][1]] if records and records[0][0] == 1 else []
    errors = []
    for row, cells in records:
        for index, cell in enumerate(cells):
            if problem := control_character_problem(cell):
                named = row != 1 and index < len(header) and header[index]
                column = header[index] if named else column_letter(index)
                errors.append(RowError(row, column, problem))
    return errors


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: how a spreadsheet names a column."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
