"""Street counts by month, crime type and 2021 LSOA across every force, one file a month
(`DATA_DIR/crime/summary/month=YYYY-MM/data.arrow`), ordered by crime type and LSOA and with
the LSOA's name: the month x crime type x LSOA summary, read as it is stored (ADR 38, 46).

The files are Arrow IPC files (LZ4-compressed), their text columns dictionary-encoded (each
crime type, LSOA code and name held once, each row holding its number): reading one is
decompressing it into memory, with no parsing, grouping, sorting or copying of strings. They
were Parquet, which DuckDB or pyarrow decode into millions of separate strings: on the
generated England-and-Wales year that took most of the summary's time (ADR 46).

Each file is made from the counts the imports keep beside their street files and names what it
was made from (the identity of each force's counts file for the month and of the geography's
tables). It is used only while that still holds: an import, a recovery or a new geography makes
it stale, and a stale or missing file is made again from the counts when next needed (an import
makes its months' files at once). So nothing has to keep it in step, and it cannot be wrong.
"""

# ruff: noqa: S608 -- SQL is built from fixed fragments; paths and values are quoted.

import hashlib
import os
import uuid
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa

from safehold.crime.store import Partition, counts_path_text, run, sql_string
from safehold.geography.layers import geography_dir

SUMMARY = "summary"
FILE = "data.arrow"
OLD_FILE = "data.parquet"  # the format before ADR 46: removed when its month is made again
KEYS = ("month", "crime_type", "lsoa")  # the grouping these files answer
COLUMNS = (*KEYS, "lsoa_name", "count")
_TEXT = pa.dictionary(pa.int32(), pa.string())
SCHEMA = pa.schema([(c, _TEXT) for c in COLUMNS[:-1]] + [("count", pa.int64())])
SOURCES_KEY = "safehold_sources"
_GEOGRAPHY = ("lsoa_codes", "lsoa21")


def _identity(path: Path | str) -> str:
    found = os.stat(path)
    return f"{found.st_ino}:{found.st_mtime_ns}:{found.st_size}"


def counts_files(con, root: Path) -> dict[str, list[str]]:
    """Each month's street counts files, by month, in force order (of the street files held
    when `con` was opened, its `partitions` table: counts left without their file count
    nothing)."""
    found: dict[str, list[str]] = defaultdict(list)
    for force, month in run(
        con, "SELECT force, month FROM partitions WHERE counted ORDER BY month, force"
    ):
        found[month].append(counts_path_text(root, Partition("street", force, month)))
    return found


def sources(root: Path, files: list[str]) -> str:
    """What a month's file is made from: its counts files and the geography, as they are now."""
    parts = [
        f"{os.path.basename(os.path.dirname(os.path.dirname(p)))}={_identity(p)}" for p in files
    ]
    combined = geography_dir(root) / "combined"
    parts += [
        f"{name}={_identity(combined / f'{name}.parquet')}"
        for name in _GEOGRAPHY
        if (combined / f"{name}.parquet").exists()
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def path_of(root: Path, month: str) -> Path:
    return root / SUMMARY / f"month={month}" / FILE


def _read(path: Path, made_from: str) -> pa.Table | None:
    """The month's table if its file was made from `made_from`, else None (no file, another
    format, a file cut short: made again)."""
    try:
        with pa.OSFile(str(path)) as source:
            # One thread: a month's file is small, and starting the pool costs more than it saves.
            reader = pa.ipc.open_file(source, options=pa.ipc.IpcReadOptions(use_threads=False))
            if (reader.schema.metadata or {}).get(SOURCES_KEY.encode()) != made_from.encode():
                return None
            return reader.read_all()
    except (OSError, pa.ArrowInvalid):
        return None


def month_tables(con, root: Path, months: Iterable[str] | None = None) -> list[pa.Table]:
    """The tables of the months asked for (every month held if None) that have street data,
    in month order, each made again first if its file is stale. `con` must have the geography's
    views (a connection from `queries.connect`)."""
    by_month = counts_files(con, root)
    wanted = sorted(by_month if months is None else set(months) & set(by_month))
    tables = []
    for month in wanted:
        path = path_of(root, month)
        made_from = sources(root, by_month[month])
        table = _read(path, made_from)
        if table is None:
            table = _make(con, month, by_month[month], path, made_from)
        tables.append(table.replace_schema_metadata(None))
    return tables


def month_files(con, root: Path, months: Iterable[str] | None = None) -> list[Path]:
    """As month_tables, the files' paths (what an import calls to make its months' files)."""
    by_month = counts_files(con, root)
    wanted = sorted(by_month if months is None else set(months) & set(by_month))
    month_tables(con, root, wanted)
    return [path_of(root, month) for month in wanted]


def _make(con, month: str, files: list[str], path: Path, made_from: str) -> pa.Table:
    """Count the month from its counts files, write its file beside its final place, then move
    it in whole (a reader sees the old file or the new one; two processes making it at once
    write the same rows). Returns the month's table."""
    listed = "[" + ", ".join(sql_string(f) for f in files) + "]"
    counted = con.sql(
        f"""SELECT {sql_string(month)} AS month, c.crime_type, c.lsoa,
                g.lsoa21_name AS lsoa_name, c.count
            FROM (
                SELECT s.crime_type, coalesce(m.lsoa21_code, s.lsoa_code) AS lsoa,
                    CAST(sum(s.n) AS BIGINT) AS count
                FROM read_parquet({listed}) s
                LEFT JOIN lsoa_codes m ON m.code = s.lsoa_code
                GROUP BY ALL) c
            LEFT JOIN lsoa21 g ON g.lsoa21_code = c.lsoa
            ORDER BY c.crime_type NULLS LAST, c.lsoa NULLS LAST"""
    ).to_arrow_table()
    table = pa.table(
        [
            counted.column(c).combine_chunks().cast(pa.string()).dictionary_encode()
            for c in COLUMNS[:-1]
        ]
        + [counted.column("count").cast(pa.int64())],
        schema=SCHEMA.with_metadata({SOURCES_KEY: made_from}),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{uuid.uuid4().hex}.partial")
    try:
        options = pa.ipc.IpcWriteOptions(compression="lz4")
        with (
            pa.OSFile(str(temp), "wb") as sink,
            pa.ipc.new_file(sink, table.schema, options=options) as writer,
        ):
            writer.write_table(table)
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
    path.with_name(OLD_FILE).unlink(missing_ok=True)
    return table
