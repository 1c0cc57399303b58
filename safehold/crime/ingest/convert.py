"""One police.uk CSV to one Parquet file, in DuckDB: explicit column types, zstd, one pass.

The month in the file name is checked on every row during the same pass (a row that disagrees
stops the conversion, and a second, diagnostic read names it). Columns are stored in
snake_case; the month (and the force, the kind) live in the partition path, not in the file.
Before that, one read of the file hashes it and counts its rows (safehold.crime.ingest.scan):
a file with no rows, or one DuckDB reads fewer rows of, is refused. Each file written names
its import run in its Parquet metadata (`store.RUN_KEY`), so a crashed run's files can be told
from others (safehold.crime.ingest.recovery).
"""

# ruff: noqa: S608 -- SQL is built from the fixed column lists below; paths and values are quoted.

import hashlib
import re
import shutil
import uuid
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import duckdb

from safehold.core.testhooks import pause_at
from safehold.core.text import CONTROL_CHARACTER_PATTERN, control_character_problem
from safehold.crime.ingest import limits
from safehold.crime.ingest.files import COLUMNS, Source
from safehold.crime.ingest.scan import RowTooLong, Scanned, scan
from safehold.crime.store import COUNTS_FILE, RUN_KEY, run, sql_string

TYPES = {
    "Longitude": "DOUBLE",
    "Latitude": "DOUBLE",
    "Date": "TIMESTAMPTZ",
    "Part of a policing operation": "BOOLEAN",
    "Outcome linked to object of search": "BOOLEAN",
    "Removal of more than just outer clothing": "BOOLEAN",
}
# The month is partition data; "Date" stays a column of stop-and-search rows.
NOT_STORED = {"Month"}
MONTH_CHECK = {
    "street": '"Month"',
    "outcomes": '"Month"',
    # police.uk files a search by its date in UK time: 23:30 UTC on 31 August in summer is
    # 00:30 on 1 September, and is in September's file.
    "stop-and-search": "strftime(timezone('Europe/London', \"Date\"), '%Y-%m')",
}
MONTH_ERROR = "safehold:month"
# A control character (a NUL above all) in any text cell refuses the file, as in every other
# import (safehold/core/text.py): checked in the same pass, named by a second read.
CONTROL_ERROR = "safehold:control-character"


def _any_control_character(kind: str, *, all_varchar: bool = False) -> str:
    text = [_quoted(c) for c in COLUMNS[kind] if all_varchar or c not in TYPES]
    return (
        f"regexp_matches(concat_ws(' ', {', '.join(text)}), "
        f"{sql_string(CONTROL_CHARACTER_PATTERN)})"
    )


def stored_name(column: str) -> str:
    """Safehold's name for a police.uk column: "Last outcome category" -> last_outcome_category."""
    return re.sub(r"[^a-z0-9]+", "_", column.lower()).strip("_")


def stored_columns(kind: str) -> list[str]:
    return [stored_name(c) for c in COLUMNS[kind] if c not in NOT_STORED] + ["placed_lsoa_code"]


def _quoted(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _read_csv(path: Path, kind: str, all_varchar: bool = False) -> str:
    types = ", ".join(
        f"{sql_string(c)}: '{'VARCHAR' if all_varchar else TYPES.get(c, 'VARCHAR')}'"
        for c in COLUMNS[kind]
    )
    return (
        f"read_csv({sql_string(path)}, columns={{{types}}}, header=true, auto_detect=false, "
        "delim=',', quote='\"', escape='\"', strict_mode=true, compression='none')"
    )


@dataclass(frozen=True)
class Converted:
    source: Source
    sha256: str
    rows: int
    parquet: Path


class ConversionFailed(Exception):
    """The file could not be converted; the message names the file and the row."""


def sha256_of(source: Source) -> str:
    """The SHA-256 of the file's bytes."""
    digest = hashlib.sha256()
    with source.open() as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _scan(source: Source, copy_to: Path | None) -> Scanned:
    """Hash and count the rows of the file (copying a zip member out to `copy_to`)."""
    try:
        with source.open() as f:
            return scan(f, max_line_bytes=limits.max_line_bytes(), copy_to=copy_to)
    except RowTooLong as exc:
        raise ConversionFailed(f"{source.label}: {exc}") from exc
    except limits.TooLarge as exc:
        raise ConversionFailed(str(exc)) from exc
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise ConversionFailed(
            f"{source.label}: cannot be read ({exc}); the zip file is damaged or not as downloaded"
        ) from exc
    except OSError as exc:
        raise ConversionFailed(f"{source.label}: cannot be read ({exc})") from exc


def _kv_metadata(run_id: uuid.UUID | str) -> str:
    return f"KV_METADATA {{{RUN_KEY}: {sql_string(str(run_id))}}}"


def convert(
    con: duckdb.DuckDBPyConnection, source: Source, staging: Path, run_id: uuid.UUID
) -> Converted:
    """Hash the file and count its rows, then write them to `staging/<partition>/data.parquet`
    (tagged with the run); refused unless every row the file holds was written."""
    kind, month = source.partition.kind, source.partition.month
    if source.member is None:
        csv_path = source.path
        scanned = _scan(source, None)
    else:
        raw = staging / "raw"
        raw.mkdir(exist_ok=True)
        csv_path = raw / f"{abs(hash(source.label))}.csv"
        scanned = _scan(source, csv_path)
    target = source.partition.path(staging)
    target.parent.mkdir(parents=True, exist_ok=True)
    select = ", ".join(
        f"{_quoted(c)} AS {stored_name(c)}" for c in COLUMNS[kind] if c not in NOT_STORED
    )
    check = MONTH_CHECK[kind]
    sql = (
        f"COPY (SELECT {select}, NULL::VARCHAR AS placed_lsoa_code FROM {_read_csv(csv_path, kind)} "
        f"WHERE CASE WHEN {check} IS DISTINCT FROM {sql_string(month)} "
        f"THEN error('{MONTH_ERROR}') "
        f"WHEN {_any_control_character(kind)} THEN error('{CONTROL_ERROR}') ELSE true END) "
        f"TO {sql_string(target)} (FORMAT parquet, COMPRESSION zstd, {_kv_metadata(run_id)})"
    )
    try:
        if not scanned.rows and not scanned.problem:
            raise ConversionFailed(
                f"{source.label}: the file has a header but no rows; a police.uk file has a row "
                "for each crime, outcome or search"
            )
        rows = run(con, sql)[0][0]
    except duckdb.Error as exc:
        target.unlink(missing_ok=True)
        if MONTH_ERROR in str(exc):
            raise ConversionFailed(_month_problem(con, source, csv_path)) from exc
        if CONTROL_ERROR in str(exc):
            raise ConversionFailed(_control_problem(con, source, csv_path)) from exc
        raise ConversionFailed(f"{source.label}: {_csv_problem(str(exc))}") from exc
    finally:
        if source.member is not None:
            Path(csv_path).unlink(missing_ok=True)
    if scanned.problem or rows != scanned.rows:
        target.unlink(missing_ok=True)
        raise ConversionFailed(f"{source.label}: {scanned.problem or _lost(scanned.rows, rows)}")
    pause_at("converted")
    return Converted(source, scanned.sha256, int(rows), target)


def _lost(in_file: int, read: int) -> str:
    rows = "row" if in_file == 1 else "rows"
    return (
        f"the file holds {in_file:,} {rows} but {read:,} could be read; nothing of it was "
        "imported. Download the file again"
    )


def _month_problem(con, source: Source, csv_path: Path) -> str:
    """Name the first row whose month is not the file's, and how many there are."""
    kind, month = source.partition.kind, source.partition.month
    column = "Date" if kind == "stop-and-search" else "Month"
    check = MONTH_CHECK[kind].replace('"Date"', 'TRY_CAST("Date" AS TIMESTAMPTZ)')
    row = run(
        con,
        f"""SELECT n, value, count(*) OVER () FROM (
            SELECT row_number() OVER () AS n, {_quoted(column)} AS value, {check} AS month
            FROM {_read_csv(csv_path, kind, all_varchar=True)})
        WHERE month IS DISTINCT FROM ? ORDER BY n LIMIT 1""",
        [month],
    )
    if not row:  # cannot happen unless the file changed between the two reads
        return f"{source.label}: a row's {column} is not in {month}, the month its name says"
    n, value, count = row[0]
    found = "is empty" if value is None else f"is {value}"
    others = f" ({count:,} rows disagree)" if count > 1 else ""
    return (
        f"{source.label}: row {n:,} (line {n + 1:,}), column {column} {found}, but the file "
        f"name says {month}{others}"
    )


def _control_problem(con, source: Source, csv_path: Path) -> str:
    """Name the line and the column of the first cell holding a control character."""
    kind = source.partition.kind
    columns = COLUMNS[kind]
    row = run(
        con,
        f"""SELECT * FROM (
            SELECT row_number() OVER () AS n, * FROM {_read_csv(csv_path, kind, all_varchar=True)})
        WHERE {_any_control_character(kind, all_varchar=True)} ORDER BY n LIMIT 1""",
    )
    if not row:  # cannot happen unless the file changed between the two reads
        return f"{source.label}: a cell contains a control character: remove it"
    n, *values = row[0]
    for column, value in zip(columns, values, strict=True):
        if value is not None and (problem := control_character_problem(value)):
            return f"{source.label}: line {n + 1:,}, column {column}: {problem}"
    return f"{source.label}: line {n + 1:,} contains a control character: remove it"


def _csv_problem(message: str) -> str:
    """DuckDB's CSV error, cut to the line and the column it names."""
    line = re.search(r"CSV Error on Line: (\d+)", message)
    column = re.search(r"Error when converting column \"([^\"]+)\"\. ([^\n]+)", message)
    if line and column:
        return f"line {line[1]}, column {column[1]}: {column[2]}"
    if line:
        detail = message.split("\n")
        # The reason follows the line quoted ("Original Line: …", which may run over several
        # lines when a quote is left open) and comes just before DuckDB's "Possible fixes".
        if "Possible fixes:" in detail:
            before = detail[: detail.index("Possible fixes:")]
            reason = next((d for d in reversed(before) if d.strip()), detail[0])
        else:
            reason = next((d for d in detail[2:] if d.strip()), detail[0])
        return f"line {line[1]}: {reason.strip()}"
    return message.split("\n")[0]


def write_counts(con, converted: list[Converted], run_id: uuid.UUID) -> None:
    """Beside each staged street file, its rows counted by crime type and LSOA (the row's own
    LSOA, or the one its coordinates were placed in), tagged with the run like the file: what
    summaries answer from (docs/adr/0038-crime-counts-kept-at-import.md). Run after placement,
    so the counts are those of the rows that are swapped in."""
    for c in converted:
        if c.source.partition.kind == "street":
            count_rows(con, c.parquet, c.parquet.with_name(COUNTS_FILE), str(run_id))


def count_rows(con, parquet: Path, target: Path, run_key: str) -> None:
    """Write a street file's counts by crime type and LSOA to `target`, tagged with `run_key`."""
    run(
        con,
        f"""COPY (
            SELECT crime_type, coalesce(lsoa_code, placed_lsoa_code) AS lsoa_code, count(*) AS n
            FROM read_parquet({sql_string(parquet)}) GROUP BY ALL ORDER BY ALL)
        TO {sql_string(target)} (FORMAT parquet, COMPRESSION zstd, {_kv_metadata(run_key)})""",
    )


def rewrite_with_placements(
    con, parquet: Path, kind: str, placements: str, run_id: uuid.UUID
) -> None:
    """Rewrite a staged file with `placed_lsoa_code` filled from `placements` (a table of
    longitude, latitude, code) for its rows without an LSOA, keeping the row order."""
    temp = parquet.with_suffix(".placed.parquet")
    no_lsoa = "true" if kind == "stop-and-search" else "s.lsoa_code IS NULL"
    run(
        con,
        f"""COPY (
            SELECT s.* EXCLUDE (placed_lsoa_code, file_row_number),
                p.code AS placed_lsoa_code
            FROM read_parquet({sql_string(parquet)}, file_row_number=true) s
            LEFT JOIN {placements} p
                ON {no_lsoa} AND s.longitude = p.longitude AND s.latitude = p.latitude
            ORDER BY s.file_row_number)
        TO {sql_string(temp)} (FORMAT parquet, COMPRESSION zstd, {_kv_metadata(run_id)})""",
    )
    shutil.move(temp, parquet)
