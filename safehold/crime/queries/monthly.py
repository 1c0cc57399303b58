"""Street counts by month, crime type and 2021 LSOA across every force, one file a month
(`DATA_DIR/crime/summary/month=YYYY-MM/data.parquet`), ordered by crime type and LSOA and with
the LSOA's name: the month x crime type x LSOA summary, read as it is stored (ADR 38).

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

import pyarrow.parquet as pq

from safehold.crime.store import COUNTS_FILE, DATA_FILE, run, sql_string
from safehold.geography.layers import geography_dir

SUMMARY = "summary"
KEYS = ("month", "crime_type", "lsoa")  # the grouping these files answer
SOURCES_KEY = "safehold_sources"
_GEOGRAPHY = ("lsoa_codes", "lsoa21")


def _identity(path: Path) -> str:
    found = path.stat()
    return f"{found.st_ino}:{found.st_mtime_ns}:{found.st_size}"


def counts_files(root: Path) -> dict[str, list[Path]]:
    """Each month's street counts files, by month (of the street files held: counts left
    without their file count nothing)."""
    found: dict[str, list[Path]] = defaultdict(list)
    for path in sorted((root / "kind=street").glob(f"force=*/month=*/{COUNTS_FILE}")):
        if path.with_name(DATA_FILE).exists():
            found[path.parent.name.split("=", 1)[1]].append(path)
    return found


def sources(root: Path, files: list[Path]) -> str:
    """What a month's file is made from: its counts files and the geography, as they are now."""
    parts = [f"{p.parent.parent.name}={_identity(p)}" for p in files]
    combined = geography_dir(root) / "combined"
    parts += [
        f"{name}={_identity(combined / f'{name}.parquet')}"
        for name in _GEOGRAPHY
        if (combined / f"{name}.parquet").exists()
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def path_of(root: Path, month: str) -> Path:
    return root / SUMMARY / f"month={month}" / "data.parquet"


def _made_from(path: Path) -> str | None:
    try:
        metadata = pq.read_metadata(path).metadata or {}
    except (OSError, ValueError):
        return None
    value = metadata.get(SOURCES_KEY.encode())
    return value.decode() if value is not None else None


def month_files(con, root: Path, months: Iterable[str] | None = None) -> list[Path]:
    """The files of the months asked for (every month held if None) that have street data,
    in month order, each made again first if it is stale. `con` must have the geography's
    views (a connection from `queries.connect`)."""
    by_month = counts_files(root)
    wanted = sorted(by_month if months is None else set(months) & set(by_month))
    paths = []
    for month in wanted:
        path = path_of(root, month)
        made_from = sources(root, by_month[month])
        if _made_from(path) != made_from:
            _make(con, month, by_month[month], path, made_from)
        paths.append(path)
    return paths


def _make(con, month: str, files: list[Path], path: Path, made_from: str) -> None:
    """Write a month's file beside its final place, then move it in whole (a reader sees the
    old file or the new one; two processes making it at once write the same rows)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{uuid.uuid4().hex}.partial")
    listed = "[" + ", ".join(sql_string(str(f)) for f in files) + "]"
    try:
        run(
            con,
            f"""COPY (
                SELECT {sql_string(month)} AS month, c.crime_type, c.lsoa,
                    g.lsoa21_name AS lsoa_name, c.count
                FROM (
                    SELECT s.crime_type, coalesce(m.lsoa21_code, s.lsoa_code) AS lsoa,
                        CAST(sum(s.n) AS BIGINT) AS count
                    FROM read_parquet({listed}) s
                    LEFT JOIN lsoa_codes m ON m.code = s.lsoa_code
                    GROUP BY ALL) c
                LEFT JOIN lsoa21 g ON g.lsoa21_code = c.lsoa
                ORDER BY c.crime_type NULLS LAST, c.lsoa NULLS LAST)
            TO {sql_string(str(temp))} (FORMAT parquet, COMPRESSION zstd,
                KV_METADATA {{{SOURCES_KEY}: {sql_string(made_from)}}})""",
        )
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
