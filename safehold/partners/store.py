"""Where the rows of partner extracts live: one Parquet file per extract in the analytics store,
`DATA_DIR/partners/<agency id>/<kind>/<extract id>.parquet`, written beside and renamed into
place under the store's lock, read through DuckDB. Never in PostgreSQL (issue 17, item 1)."""

import contextlib
import logging
import os
from collections.abc import Iterable, Iterator
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

logger = logging.getLogger(__name__)


def store_dir() -> Path:
    return data_dir() / "partners"


def extract_path(*, agency_id, kind: str, extract_id) -> Path:
    return store_dir() / str(agency_id) / kind / f"{extract_id}.parquet"


@contextlib.contextmanager
def locked() -> Iterator[None]:
    """Hold the store's lock. A writer holds it until its extract's row has committed, so a
    holder that finds a file without its row knows the process that wrote it died between
    the rename and the commit (ADR 0063)."""
    with lock(store_dir()):
        yield


def write_rows(path: Path, rows: pa.Table) -> None:
    """Write an extract's rows whole: a reader sees the old file or the new one, never half.
    The caller holds the store's lock (`locked`) until its transaction has committed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    pq.write_table(rows, temporary)
    fsync_file(temporary)
    replace_durably(temporary, path)


def remove_strays(*, agency_id, kind: str, extract_ids: Iterable) -> list[Path]:
    """Remove the files of an agency's extracts of a kind that have no extract (their writer
    was killed before its commit: rows nobody recorded, and that retention would never find)
    and half-written temporary files. The caller holds the store's lock."""
    folder = store_dir() / str(agency_id) / kind
    if not folder.exists():
        return []
    known = {f"{extract_id}.parquet" for extract_id in extract_ids}
    strays = [
        path
        for path in folder.iterdir()
        if (path.suffix == ".parquet" and path.name not in known)
        or (path.name.startswith(".") and path.suffix == ".tmp")
    ]
    for path in strays:
        logger.warning("Removing %s: its extract was never recorded", path)
        path.unlink(missing_ok=True)
    return strays


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
