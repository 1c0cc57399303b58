"""One read of a police.uk file before it is converted: its SHA-256, a copy of a zip member on
disk for DuckDB, and its rows counted independently of DuckDB, so that a conversion that reads
fewer rows than the file holds is caught rather than stored.

DuckDB's reader can drop a row without an error (a last line longer than its buffer, tens of
MB, gives no row at all). Rows are counted as CSV records, with the quoting DuckDB reads: a
double quote at the start of a value opens a quoted value (which may hold commas, line breaks
and doubled quotes) until a quote not doubled; elsewhere a quote is a character like any other.
Empty lines are no rows (DuckDB skips them too). A row longer than the limit
(limits.max_line_bytes) stops the read at once, naming its line.
"""

import contextlib
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

BLOCK = 1 << 20
QUOTE, COMMA, CR = b'"', ord(","), ord("\r")


class RowTooLong(Exception):
    def __init__(self, line: int, limit: int):
        self.line, self.limit = line, limit
        super().__init__(
            f"line {line:,} is longer than {limit:,} bytes; a police.uk row is a few hundred "
            "bytes, so this is not a police.uk file as downloaded (SAFEHOLD_POLICE_MAX_LINE_BYTES)"
        )


@dataclass(frozen=True)
class Scanned:
    sha256: str
    rows: int  # records after the header
    problem: str = ""  # a quoted value never closed ("line 7: …")


def _still_quoted(line: bytes, quoted: bool) -> bool:
    """Whether a line (without its line break) ends inside a quoted value, given whether it
    starts inside one. Only the quotes are visited, so a line of plain values costs one search."""
    at = 0
    while True:
        i = line.find(QUOTE, at)
        if i < 0:
            return quoted
        if quoted:
            if line[i + 1 : i + 2] == QUOTE:  # a doubled quote stands for one
                at = i + 2
            else:
                quoted, at = False, i + 1
        else:
            # Outside a quoted value a line starts a record: a quote opens one at the start of
            # the line or just after a comma, and is a plain character anywhere else.
            quoted = i == 0 or line[i - 1] == COMMA
            at = i + 1


class _Records:
    """Counts the records of the lines given one by one, and the bytes of the one being read."""

    def __init__(self, limit: int):
        self.limit = limit
        self.records = 0
        self.lines = 0
        self.quoted = False  # the last line ended inside a quoted value
        self.record_bytes = 0
        self.record_line = 1  # the line the record being read starts on

    def check(self, more: int) -> None:
        if self.record_bytes + more > self.limit:
            raise RowTooLong(self.record_line, self.limit)

    def line(self, line: bytes) -> None:
        content = line.rstrip(b"\r\n")
        self.check(len(content))
        self.lines += 1
        self.record_bytes += len(content)
        if self.quoted or QUOTE in content:
            self.quoted = _still_quoted(content, self.quoted)
        if self.quoted:
            self.record_bytes += len(line) - len(content)  # the line break is in the value
            return
        if self.record_bytes:
            self.records += 1
        self.record_bytes, self.record_line = 0, self.lines + 1

    def lines_of(self, complete: bytes) -> None:
        """Every line of `complete` (which ends with a line break)."""
        if self.quoted or QUOTE in complete:
            for line in complete.splitlines(keepends=True):
                self.line(line)
            return
        # No quote: each line is a whole record, or empty. Counted without a loop in Python
        # (most police.uk blocks are like this).
        lines = complete.splitlines()
        if max(map(len, lines)) > self.limit:
            longest = next(i for i, line in enumerate(lines) if len(line) > self.limit)
            raise RowTooLong(self.lines + longest + 1, self.limit)
        self.records += len(lines) - lines.count(b"")
        self.lines += len(lines)
        self.record_line = self.lines + 1


def scan(stream: BinaryIO, *, max_line_bytes: int, copy_to: Path | None = None) -> Scanned:
    """Hash the file, copy it to `copy_to` if given, and count its rows (records after the
    header). Raises RowTooLong before reading past the limit."""
    digest = hashlib.sha256()
    records = _Records(max_line_bytes)
    with open(copy_to, "wb") if copy_to is not None else contextlib.nullcontext() as out:
        pending, after_cr = b"", False
        while block := stream.read(BLOCK):
            digest.update(block)
            if out is not None:
                out.write(block)
            if after_cr and block.startswith(b"\n"):  # the rest of a \r\n cut by the block
                block = block[1:]
            data = pending + block
            # Lines end at \n, \r\n or \r; what follows the last line break is kept for the
            # next block.
            cut = max(data.rfind(b"\n"), data.rfind(b"\r")) + 1
            if cut:
                records.lines_of(data[:cut])
                after_cr = data[cut - 1] == CR
            pending = data[cut:]
            records.check(len(pending))
        if pending:
            records.line(pending)
    problem = ""
    if records.quoted:
        problem = f'line {records.record_line:,}: a quoted value is never closed (a " is missing)'
        records.records += 1
    return Scanned(digest.hexdigest(), max(records.records - 1, 0), problem)
