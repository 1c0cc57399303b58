"""Where the rows of partner extracts live: one Parquet file per extract in the analytics store,
`DATA_DIR/partners/<agency id>/<kind>/<extract id>.parquet`, written beside and renamed into
place under the store's lock, read through DuckDB. Never in PostgreSQL (issue 17, item 1)."""

import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from safehold.analytics.store import (
    connect,
    data_dir,
    fsync_file,
    lock,
    replace_durably,
    sql_string,
)


def store_dir() -> Path:
    return data_dir() / "partners"


def extract_path(*, agency_id, kind: str, extract_id) -> Path:
    return store_dir() / str(agency_id) / kind / f"{extract_id}.parquet"


def write_rows(path: Path, rows: pa.Table) -> None:
    """Write an extract's rows whole: a reader sees the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with lock(store_dir()):
        pq.write_table(rows, temporary)
        fsync_file(temporary)
        replace_durably(temporary, path)


def read_rows(path: Path, *, limit: int | None = None) -> pa.Table:
    """The stored rows of one extract (in file order), through DuckDB."""
    con = connect()
    try:
        sql = f"select * from read_parquet({sql_string(path)})"  # noqa: S608 -- our own path, quoted
        if limit is not None:
            sql += f" limit {int(limit)}"
        return con.sql(sql).to_arrow_table()
    finally:
        con.close()


def read_record(path: Path, *, record_id: str) -> dict | None:
    """One row of a people extract by its record_id (the first, if an extract repeats it), or
    None, through DuckDB."""
    con = connect()
    try:
        sql = f"select * from read_parquet({sql_string(path)}) where record_id = ? limit 1"  # noqa: S608 -- our own path, quoted
        cursor = con.execute(sql, [record_id])
        row = cursor.fetchone()
        return dict(zip([d[0] for d in cursor.description], row, strict=True)) if row else None
    finally:
        con.close()
