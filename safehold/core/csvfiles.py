"""Reading an uploaded CSV file and reporting its problems where a spreadsheet user finds them:
the one way every import in Safehold (cases, incident logs, performance indicators) reads a
file and names a row and a column."""

import csv
import io
from dataclasses import dataclass


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


def decode(data: bytes | str) -> str:
    """UTF-8 text without a byte order mark, or an error naming the fix."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportInvalid(
            [
                RowError(
                    0,
                    "",
                    "the file is not UTF-8 text: in Excel, use Save As and choose "
                    "“CSV UTF-8 (Comma delimited)”",
                )
            ]
        ) from exc


def read_records(text: str, *, skip_empty: bool = False) -> list[tuple[int, list[str]]]:
    """Every record with its spreadsheet row number (a quoted line break stays in one row);
    with `skip_empty`, only the records that have something in them."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        records = list(enumerate(reader, start=1))
    except csv.Error as exc:
        raise ImportInvalid(
            [RowError(reader.line_num, "", f"the file cannot be read as CSV ({exc})")]
        ) from exc
    if skip_empty:
        return [(n, cells) for n, cells in records if any(c.strip() for c in cells)]
    return records


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: how a spreadsheet names a column."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
