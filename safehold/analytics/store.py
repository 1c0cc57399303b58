"""The analytics store (docs/adr/0002, 0031): DuckDB over Parquet files in `DATA_DIR`, and the
one way every analytics app opens a connection to it and locks its files.

    DATA_DIR/crime/…        police.uk partitions (safehold.crime.store) and the geography
                            layers (safehold.geography.layers); `crime` for history: nothing moved
    DATA_DIR/incidents/…    partner incident logs (safehold.incidents.store)

- `connect()` is the only place Safehold opens DuckDB: bounded memory, a fixed thread count,
  the session in UTC (so timestamps come back as aware UTC datetimes). Each app adds its own
  views to the connection it is given (`safehold.geography.combined.add_views`,
  `safehold.crime.connection.add_views`, `safehold.incidents.store.connect`).
- `lock(folder)` is the only lock: `fcntl.flock` on `folder/.lock` (or a named lock file),
  exclusive or shared, waiting or not. The kernel releases it when its process ends, even
  when killed, so a crashed import never leaves the store locked.
"""

import contextlib
import fcntl
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import duckdb
from django.conf import settings

LOCK_FILE = ".lock"


def data_dir() -> Path:
    """`DATA_DIR` (read at call time, so tests can move it)."""
    return Path(settings.DATA_DIR)


def store_root() -> Path:
    """Where police.uk data and the geography layers live: `DATA_DIR/crime`."""
    return data_dir() / "crime"


def duckdb_config() -> dict[str, object]:
    """DuckDB's limits for every Safehold connection: bounded memory, a fixed thread count."""
    return {
        "threads": int(getattr(settings, "SAFEHOLD_DUCKDB_THREADS", 2)),
        "memory_limit": str(getattr(settings, "SAFEHOLD_DUCKDB_MEMORY_LIMIT", "1500MB")),
    }


def connect(**config: object) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with Safehold's limits (`config` overrides one) and the
    session's time zone UTC. Connections are cheap: open one per piece of work."""
    con = duckdb.connect(config=duckdb_config() | config)
    con.execute("SET TimeZone = 'UTC'")
    return con


def sql_string(value: str | Path) -> str:
    """A SQL string literal (for file paths in COPY, which takes no parameters)."""
    return "'" + str(value).replace("'", "''") + "'"


def run(con, sql: str, params: Sequence[object] = ()) -> list[tuple]:
    """Run a statement and read its whole result (DuckDB 2 holds a connection's unread result
    open, and other work on the connection waits for it)."""
    return con.execute(sql, list(params)).fetchall()


def scalar(con, sql: str, params: Sequence[object] = ()) -> object:
    return run(con, sql, params)[0][0]


@contextlib.contextmanager
def lock(
    folder: Path, *, shared: bool = False, wait: bool = True, name: str = LOCK_FILE
) -> Iterator[bool]:
    """Hold the lock `folder/name` (created if missing) and yield True; exclusive unless
    `shared`; without `wait`, yield False at once if another process holds it. Locks go when
    their process does, even when killed."""
    folder.mkdir(parents=True, exist_ok=True)
    operation = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
    with open(folder / name, "a") as f:
        try:
            fcntl.flock(f, operation | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def replace_durably(temporary: Path, final: Path) -> None:
    """Move a fully written file over `final` in one step and make the rename durable."""
    os.replace(temporary, final)
    directory = os.open(final.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())
