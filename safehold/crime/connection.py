"""Police.uk data's views on an analytics connection: `street`, `outcomes`,
`stop_and_search` (each row plus its `kind`, `force` and `month`), `crimes` (street rows
with the 2021 LSOA, ward and local authority they fall in, from the geography's views) and
`street_counts` (street rows counted by force, month, crime type and LSOA: the counts each
import keeps beside its files, docs/adr/0038-crime-counts-kept-at-import.md).
`connect()` opens the connection analyses use (`safehold.crime.queries.connect`).

The views are created unbound (DuckDB's `DEFER_BINDING`): a view over every street file
is bound, reading each file's footer, when a query uses it, not when the connection opens, so
opening a connection costs the same whatever the store holds, and an analysis pays only for
the views it reads (the month x crime type x LSOA summary reads none: queries.monthly).
"""

# ruff: noqa: S608 -- SQL here is built from constants; paths are quoted.

from pathlib import Path

import duckdb

from safehold.analytics.store import connect as open_connection
from safehold.crime.ingest.convert import TYPES, stored_name
from safehold.crime.ingest.files import COLUMNS
from safehold.crime.store import (
    Partition,
    counts_path_text,
    has_partitions,
    kind_glob,
    run,
    sql_string,
    store_root,
    street_files,
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


# A view bound when a query first uses it, not when it is created (see the module's docstring).
DEFERRED = "WITH (DEFER_BINDING)"

# `street_counts` from the rows themselves: the same numbers as the kept counts, slower.
COUNTED_FROM_ROWS = (
    "SELECT force, month, crime_type, coalesce(lsoa_code, placed_lsoa_code) AS lsoa_code, "
    "NULL::VARCHAR AS placed_lsoa_code, count(*) AS n FROM street GROUP BY ALL"
)


def _street_counts(root: Path, street: list[Partition], counted: list[Partition]) -> str:
    """The kept counts, with the columns of `street` that summaries filter and group on (the
    LSOA already coalesced with the placed one, so `placed_lsoa_code` is empty). A store
    with a street file whose counts are missing (written before they were kept) counts the rows
    instead: slower, the same numbers."""
    if street and len(counted) == len(street):
        # Listed from the data files, so counts left without their file count nothing.
        files = ", ".join(sql_string(counts_path_text(root, p)) for p in street)
        return (
            "SELECT force, month, crime_type, lsoa_code, NULL::VARCHAR AS placed_lsoa_code, n "
            f"FROM read_parquet([{files}], hive_partitioning=true, "
            "hive_types={'kind': 'VARCHAR', 'force': 'VARCHAR', 'month': 'VARCHAR'})"
        )
    return COUNTED_FROM_ROWS


def add_views(
    con: duckdb.DuckDBPyConnection,
    root: Path,
    street: tuple[list[Partition], list[Partition]] | None = None,
) -> None:
    """Give `con` the police.uk views over the store at `root` (the geography's views must be
    there already: `crimes` joins them); `street` is `store.street_files(root)` if the caller
    has it already."""
    street_held, counted = street if street is not None else street_files(root)
    for kind, view in VIEW_OF_KIND.items():
        if street_held if kind == "street" else has_partitions(root, kind):
            source = (
                f"SELECT * FROM read_parquet({sql_string(kind_glob(root, kind))}, "
                "hive_partitioning=true, union_by_name=true, "
                "hive_types={'kind': 'VARCHAR', 'force': 'VARCHAR', 'month': 'VARCHAR'})"
            )
        else:
            source = _empty_kind(kind)
        run(con, f"CREATE VIEW {view} {DEFERRED} AS {source}")
    run(
        con, f"CREATE VIEW street_counts {DEFERRED} AS {_street_counts(root, street_held, counted)}"
    )
    run(
        con,
        f"""CREATE VIEW crimes {DEFERRED} AS
            SELECT s.*, coalesce(m.lsoa21_code, s.lsoa_code, s.placed_lsoa_code) AS lsoa21_code,
                g.lsoa21_name, g.ward_code, g.ward_name, g.lad_code, g.lad_name
            FROM street s
            LEFT JOIN lsoa_codes m ON m.code = coalesce(s.lsoa_code, s.placed_lsoa_code)
            LEFT JOIN lsoa21 g ON g.lsoa21_code = m.lsoa21_code""",
    )


def connect(root: Path | None = None) -> duckdb.DuckDBPyConnection:
    """An analytics connection (safehold.analytics.store.connect) with the geography's views,
    police.uk's views and a table `partitions(kind, force, month, counted)` of the street
    files held when it was opened (`counted`: with their counts beside them): the connection
    every analysis takes."""
    root = root or store_root()
    con = open_connection()
    combined.add_views(con, root)
    street = street_files(root)
    add_views(con, root, street)
    held, counted = street[0], set(street[1])
    run(con, f"SET VARIABLE crime_root = {sql_string(str(root))}")  # for queries.monthly
    # From lists given as parameters: a VALUES list of 500 rows takes ten times as long to parse.
    run(
        con,
        "CREATE TABLE partitions AS SELECT unnest($1::VARCHAR[]) AS kind, "
        "unnest($2::VARCHAR[]) AS force, unnest($3::VARCHAR[]) AS month, "
        "unnest($4::BOOLEAN[]) AS counted",
        [
            [p.kind for p in held],
            [p.force for p in held],
            [p.month for p in held],
            [p in counted for p in held],
        ],
    )
    return con
