"""Police.uk data's views on an analytics connection: `street`, `outcomes`,
`stop_and_search` (each row plus its `kind`, `force` and `month`), `crimes` (street rows
with the 2021 LSOA, ward and local authority they fall in, from the geography's views) and
`street_counts` (street rows counted by force, month, crime type and LSOA: the counts each
import keeps beside its files, docs/adr/0038-crime-counts-kept-at-import.md).
`connect()` opens the connection analyses use (`safehold.crime.queries.connect`).
"""

# ruff: noqa: S608 -- SQL here is built from constants; paths are quoted.

from pathlib import Path

import duckdb

from safehold.analytics.store import connect as open_connection
from safehold.crime.ingest.convert import TYPES, stored_name
from safehold.crime.ingest.files import COLUMNS
from safehold.crime.store import (
    has_counts,
    has_partitions,
    kind_glob,
    partitions,
    run,
    sql_string,
    store_root,
)
from safehold.geography import combined

VIEW_OF_KIND = {"street": "street", "outcomes": "outcomes", "stop-and-search": "stop_and_search"}


def _empty_kind(kind: str) -> str:
    columns = [
        f"NULL::{TYPES.get(c, 'VARCHAR')} AS {stored_name(c)}"
        for c in COLUMNS[kind]
        if c != "Month"
    ]
    columns += [
        "NULL::VARCHAR AS placed_lsoa_code",
        "NULL::VARCHAR AS force",
        "NULL::VARCHAR AS kind",
        "NULL::VARCHAR AS month",
    ]
    return f"SELECT {', '.join(columns)} WHERE false"


# `street_counts` from the rows themselves: the same numbers as the kept counts, slower.
COUNTED_FROM_ROWS = (
    "SELECT force, month, crime_type, coalesce(lsoa_code, placed_lsoa_code) AS lsoa_code, "
    "NULL::VARCHAR AS placed_lsoa_code, count(*) AS n FROM street GROUP BY ALL"
)


def _street_counts(root: Path) -> str:
    """The kept counts, with the columns of `street` that summaries filter and group on (the
    LSOA already coalesced with the placed one, so `placed_lsoa_code` is empty). A store
    with a street file whose counts are missing (written before they were kept) counts the rows
    instead: slower, the same numbers."""
    if has_partitions(root, "street") and has_counts(root):
        # Listed from the data files, so counts left without their file count nothing.
        files = ", ".join(sql_string(str(p.counts_path(root))) for p in partitions(root, "street"))
        return (
            "SELECT force, month, crime_type, lsoa_code, NULL::VARCHAR AS placed_lsoa_code, n "
            f"FROM read_parquet([{files}], hive_partitioning=true, "
            "hive_types={'kind': 'VARCHAR', 'force': 'VARCHAR', 'month': 'VARCHAR'})"
        )
    return COUNTED_FROM_ROWS


def add_views(con: duckdb.DuckDBPyConnection, root: Path) -> None:
    """Give `con` the police.uk views over the store at `root` (the geography's views must be
    there already: `crimes` joins them)."""
    for kind, view in VIEW_OF_KIND.items():
        if has_partitions(root, kind):
            source = (
                f"SELECT * FROM read_parquet({sql_string(kind_glob(root, kind))}, "
                "hive_partitioning=true, union_by_name=true, "
                "hive_types={'kind': 'VARCHAR', 'force': 'VARCHAR', 'month': 'VARCHAR'})"
            )
        else:
            source = _empty_kind(kind)
        run(con, f"CREATE VIEW {view} AS {source}")
    run(con, f"CREATE VIEW street_counts AS {_street_counts(root)}")
    run(
        con,
        """CREATE VIEW crimes AS
            SELECT s.*, coalesce(m.lsoa21_code, s.lsoa_code, s.placed_lsoa_code) AS lsoa21_code,
                g.lsoa21_name, g.ward_code, g.ward_name, g.lad_code, g.lad_name
            FROM street s
            LEFT JOIN lsoa_codes m ON m.code = coalesce(s.lsoa_code, s.placed_lsoa_code)
            LEFT JOIN lsoa21 g ON g.lsoa21_code = m.lsoa21_code""",
    )


def connect(root: Path | None = None) -> duckdb.DuckDBPyConnection:
    """An analytics connection (safehold.analytics.store.connect) with the geography's views,
    police.uk's views and a table `partitions(kind, force, month)` of what is loaded: the
    connection every analysis takes."""
    root = root or store_root()
    con = open_connection()
    combined.add_views(con, root)
    add_views(con, root)
    rows = [
        f"({sql_string(p.kind)}, {sql_string(p.force)}, {sql_string(p.month)})"
        for p in partitions(root, "street")
    ]
    run(con, f"SET VARIABLE crime_root = {sql_string(str(root))}")  # for queries.monthly
    run(
        con,
        "CREATE TABLE partitions AS SELECT * FROM "
        + (f"(VALUES {', '.join(rows)})" if rows else "(SELECT NULL, NULL, NULL WHERE false)")
        + " AS t(kind, force, month)",
    )
    return con
