"""Finding police.uk files (single CSVs, folders, the download zip) and checking their names
and headers before anything is read in full.

A file's name says what it holds: `2021-08-avon-and-somerset-street.csv` is the street-level
crime of Avon and Somerset for August 2021. docs/formats/police-uk.md describes the three kinds.
"""

import contextlib
import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from safehold.crime.ingest import limits
from safehold.crime.store import Partition

STREET_COLUMNS = (
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
    "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context",
)  # fmt: skip
OUTCOMES_COLUMNS = (
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
    "LSOA code", "LSOA name", "Outcome type",
)  # fmt: skip
STOP_AND_SEARCH_COLUMNS = (
    "Type", "Date", "Part of a policing operation", "Policing operation", "Latitude",
    "Longitude", "Gender", "Age range", "Self-defined ethnicity", "Officer-defined ethnicity",
    "Legislation", "Object of search", "Outcome", "Outcome linked to object of search",
    "Removal of more than just outer clothing",
)  # fmt: skip
COLUMNS = {
    "street": STREET_COLUMNS,
    "outcomes": OUTCOMES_COLUMNS,
    "stop-and-search": STOP_AND_SEARCH_COLUMNS,
}
NAME_RE = re.compile(
    r"^(?P<month>\d{4}-(?:0[1-9]|1[0-2]))-(?P<force>[a-z0-9]+(?:-[a-z0-9]+)*?)"
    r"-(?P<kind>street|outcomes|stop-and-search)\.csv$"
)
NAME_HINT = (
    "a police.uk file is named YYYY-MM-FORCE-street.csv, YYYY-MM-FORCE-outcomes.csv or "
    "YYYY-MM-FORCE-stop-and-search.csv (for example 2021-08-avon-and-somerset-street.csv)"
)


class ImportRefused(Exception):
    """The run's files cannot be imported; nothing was written. Each error names its file."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass(frozen=True)
class Source:
    """One police.uk CSV to import: a file on disk or a member of a zip archive."""

    label: str  # how it is named in messages and the import record
    partition: Partition
    size: int
    path: Path  # the CSV, or the zip holding it
    member: str | None = None  # the member's name inside the zip

    @property
    def columns(self) -> tuple[str, ...]:
        return COLUMNS[self.partition.kind]

    @contextlib.contextmanager
    def open(self) -> Iterator[BinaryIO]:
        """The file's bytes, from disk or from inside its zip archive (never more than the
        archive's directory says the member holds)."""
        if self.member is None:
            with open(self.path, "rb") as f:
                yield f
            return
        with limits.open_member(self.path, self.member, self.label) as f:
            yield f


def _describe(path: Path | str, member: str | None) -> str:
    return f"{path}:{member}" if member else str(path)


def find_sources(
    paths: Iterable[Path], names: Mapping[Path, str] | None = None
) -> tuple[list[Source], list[str]]:
    """Every police.uk CSV under the given paths, and an error for each that is not one.

    `names` gives a file kept under another name (an upload) the name it was given: that name
    says whether it is a CSV or a zip and, for a CSV, what it holds, and it names the file in
    messages and import records instead of the path on disk.
    """
    sources: list[Source] = []
    errors: list[str] = []

    def add(path: Path, name: str, size: int, member: str | None = None, shown=None) -> None:
        label = _describe(shown or path, member)
        match = NAME_RE.match(name)
        if not match:
            errors.append(
                f"{label}: the name does not say what the file holds: {NAME_HINT}"
                + _columns_hint(path, member)
            )
            return
        partition = Partition(match["kind"], match["force"], match["month"])
        sources.append(Source(label, partition, size, path, member))

    def add_zip(path: Path, shown: str | None = None) -> None:
        label = shown or str(path)
        if problem := limits.zip_problem(path, label):
            errors.append(problem)
            return
        with zipfile.ZipFile(path) as archive:
            members = [i for i in archive.infolist() if not i.is_dir()]
        csvs = [i for i in members if i.filename.lower().endswith(".csv")]
        if not csvs:
            errors.append(f"{label}: the zip archive holds no CSV file")
        for info in csvs:
            add(path, Path(info.filename).name, info.file_size, info.filename, shown=label)

    for given in paths:
        path = Path(given)
        shown = (names or {}).get(path)
        suffix = Path(shown or path.name).suffix.lower()
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in (".csv", ".zip")
                and not p.name.startswith(".")
            )  # fmt: skip
            if not found:
                errors.append(f"{path}: the folder holds no CSV file or zip archive")
            for p in found:
                add_zip(p) if p.suffix.lower() == ".zip" else add(p, p.name, p.stat().st_size)
        elif path.is_file() and suffix == ".zip":
            add_zip(path, shown)
        elif path.is_file() and suffix == ".csv":
            add(path, Path(shown or path.name).name, path.stat().st_size, shown=shown)
        elif path.exists():
            errors.append(f"{shown or path}: not a CSV file, a folder or a zip archive")
        else:
            errors.append(f"{shown or path}: no such file or folder")
    return sources, errors


def _first_line(opened: BinaryIO) -> list[str]:
    """The first line's columns (UTF-8, a byte order mark allowed); empty if unreadable."""
    first = opened.read(65536)
    for cut in (0, 1, 2, 3):  # the block may end inside a character
        try:
            text = first[: len(first) - cut].decode("utf-8-sig")
            break
        except UnicodeDecodeError:
            continue
    else:
        return []
    line = text.splitlines()[0] if text else ""
    return [c.strip() for c in next(csv.reader(io.StringIO(line)), [])]


def _columns_hint(path: Path, member: str | None) -> str:
    """For a file whose name says nothing: what its header looks like, so one message says
    both what to rename it and whether its columns would be accepted."""
    try:
        if member is None:
            with open(path, "rb") as f:
                found = _first_line(f)
        else:
            with zipfile.ZipFile(path) as archive, archive.open(member) as f:
                found = _first_line(f)
    except (OSError, zipfile.BadZipFile):
        return ""
    for kind, columns in COLUMNS.items():
        if found == list(columns):
            return f". Its columns are those of a police.uk {kind} file"
    if not found:
        return ""
    shown = ", ".join(found[:8]) + (", …" if len(found) > 8 else "")
    return f". Its columns are not those of a police.uk file either (it has {shown})"


def header_error(source: Source) -> str | None:
    """None if the file starts with the header its kind has; otherwise what is wrong."""
    try:
        with source.open() as f:
            first = f.read(65536)
    except (OSError, zipfile.BadZipFile) as exc:
        return f"{source.label}: cannot be read ({exc})"
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError:
        # The first block may end inside a character: only its last few bytes may be cut.
        try:
            text = first[:-4].decode("utf-8-sig")
        except UnicodeDecodeError:
            return f"{source.label}: not UTF-8 text (police.uk files are UTF-8 CSV)"
    line = text.splitlines()[0] if text else ""
    found = next(csv.reader(io.StringIO(line)), [])
    found = [c.strip() for c in found]
    expected = list(source.columns)
    if found == expected:
        return None
    kind = source.partition.kind
    if not found:
        return f"{source.label}: the file is empty; a police.uk {kind} file starts with its header"
    missing = [c for c in expected if c not in found]
    extra = [c for c in found if c not in expected]
    detail = []
    if missing:
        detail.append("missing " + ", ".join(missing))
    if extra:
        detail.append("unexpected " + ", ".join(extra))
    if not detail:
        detail.append("the columns are in another order")
    return (
        f"{source.label}: not the columns of a police.uk {kind} file ({'; '.join(detail)}). "
        f"Expected {len(expected)} columns: {', '.join(expected)}"
    )
