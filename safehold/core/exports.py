"""Writing CSV and XLSX files that a spreadsheet opens safely: the one way every export in
Safehold writes a cell (ADR 0028).

A text cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return) is run by
Excel, LibreOffice and Google Sheets as a formula: `=HYPERLINK("http://…","Click")` in a
person's name would become a live link in a partner's copy of the case list (OWASP, "CSV
injection"). Such text is written with a leading apostrophe, which the spreadsheet shows and
runs nothing. Numbers stay numbers, and text that is only a negative number as Safehold writes
one ("-1.5", a coordinate or a z-score formatted for the file) is left alone, since it cannot be
a formula; "-1+2" and "+1" are text a person typed, and are neutralised.
"""

import csv
import re
from collections.abc import Iterable
from typing import Any, TextIO

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# The same rule as regular expressions Python and Arrow (RE2) read alike, for the exports that
# write whole Arrow tables.
FORMULA_START_PATTERN = r"^[=+\-@\t\r]"
PLAIN_NUMBER_PATTERN = r"^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"
_PLAIN_NUMBER = re.compile(PLAIN_NUMBER_PATTERN)


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet could run `text` as a formula."""
    return text[:1] in FORMULA_START and not _PLAIN_NUMBER.match(text)


def safe_cell(value: Any) -> Any:
    """The value to write in a cell: formula-like text with an apostrophe before it; anything
    else (numbers, dates, None, ordinary text) unchanged."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in values]


class SafeCsvWriter:
    """`csv.writer` whose every cell goes through `safe_cell`."""

    def __init__(self, out: TextIO, **kwargs):
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out: TextIO, **kwargs) -> SafeCsvWriter:
    """A CSV writer for an export (same arguments as `csv.writer`)."""
    return SafeCsvWriter(out, **kwargs)


class _Echo:
    def write(self, value: str) -> str:
        return value


def streaming_csv_writer() -> SafeCsvWriter:
    """A writer whose `writerow` returns the line, for a StreamingHttpResponse."""
    return SafeCsvWriter(_Echo())


def append_row(sheet, values: Iterable[Any]) -> None:
    """Append a row to an openpyxl sheet; text is never a formula (openpyxl makes a formula of
    any text starting with "=", and Excel runs the other formula starts when edited)."""
    sheet.append(safe_row(values))


def xlsx_bytes(title: str, rows: Iterable[Iterable[Any]]) -> bytes:
    """An XLSX file of one sheet named `title`, each row written by `append_row`."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        append_row(sheet, row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def safe_arrow_column(column):
    """An Arrow string column with its formula-like values neutralised as `safe_cell` does."""
    import pyarrow.compute as pc

    risky = pc.and_(
        pc.match_substring_regex(column, FORMULA_START_PATTERN),
        pc.invert(pc.match_substring_regex(column, PLAIN_NUMBER_PATTERN)),
    )
    if not pc.any(risky).as_py():
        return column
    return pc.if_else(risky, pc.binary_join_element_wise("'", column, ""), column)
