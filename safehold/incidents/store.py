"""Where partner incident logs live: one Parquet dataset per source in DATA_DIR/incidents.

The analytics store of docs/adr/0002: `DATA_DIR/incidents/sources/<key>.parquet`, each file
replaced whole and atomically (written beside, then renamed over) under the store's exclusive
lock, and read through DuckDB as the view `incidents`. The connection, the lock and the durable
rename are the analytics store's (safehold/analytics/store.py). The datasets hold no names: reference, type, when
and where. Layout and columns: docs/formats/incidents-csv.md.
"""

import contextlib
import hashlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow as pa

from safehold.analytics.store import connect as open_connection
from safehold.analytics.store import data_dir as analytics_dir
from safehold.analytics.store import fsync_file as fsync_analytics_file
from safehold.analytics.store import lock, replace_durably

SCHEMA = pa.schema(
    [
        ("source", pa.string()),
        ("reference", pa.string()),
        ("type", pa.string()),
        ("occurred_at", pa.timestamp("us", tz="UTC")),
        ("latitude", pa.float64()),
        ("longitude", pa.float64()),
        ("easting", pa.float64()),
        ("northing", pa.float64()),
        ("postcode", pa.string()),
        ("located_by", pa.string()),  # "coordinates" or "postcode"
        ("imported_at", pa.timestamp("us", tz="UTC")),
    ]
)
# The columns that make an incident what it is: a row of a re-import with all of these equal
# to the stored row is unchanged (imported_at is when, not what).
CONTENT_COLUMNS = (
    "type",
    "occurred_at",
    "latitude",
    "longitude",
    "easting",
    "northing",
    "postcode",
    "located_by",
)
UK_TIME_ZONE = "Europe/London"


def store_dir(data_dir: Path | None = None) -> Path:
    """DATA_DIR/incidents (or a given folder: tests and benchmarks use their own)."""
    return Path(data_dir) if data_dir is not None else analytics_dir() / "incidents"


def sources_dir(data_dir: Path | None = None) -> Path:
    return store_dir(data_dir) / "sources"


def source_key(name: str) -> str:
    """The file name of a source's dataset: readable, and the same for any spelling that
    differs only in case or spacing ("Stockport Homes" and "stockport  homes" are one source)."""
    folded = " ".join(name.split()).casefold()
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:40] or "source"
    return f"{slug}-{hashlib.sha256(folded.encode()).hexdigest()[:8]}"


def dataset_path(source: str, data_dir: Path | None = None) -> Path:
    return sources_dir(data_dir) / f"{source_key(source)}.parquet"


@contextlib.contextmanager
def locked(data_dir: Path | None = None) -> Iterator[None]:
    """Hold the store's exclusive lock: one import at a time reads, merges and replaces."""
    with lock(store_dir(data_dir)):
        yield


def temporary_path(final: Path) -> Path:
    """A file beside `final` that the view's glob does not match (hidden, .tmp)."""
    return final.with_name(f".{final.name}.{os.getpid()}.tmp")


def replace(temporary: Path, final: Path) -> None:
    """Move a fully written file over the dataset in one step and make the rename durable."""
    replace_durably(temporary, final)


def fsync_file(path: Path) -> None:
    fsync_analytics_file(path)


def connect(data_dir: Path | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with the view `incidents` over every source's dataset.

    The view lists the files when each query runs, so later imports are seen; but with no
    dataset yet it is an empty table of the same columns, which stays empty. Connections are
    cheap: open one per piece of work. The session's time zone is UTC, so
    `occurred_at` comes back as aware UTC datetimes; analyses convert to UK time themselves.
    """
    con = open_connection()
    folder = sources_dir(data_dir)
    if any(folder.glob("*.parquet")):
        pattern = str(folder / "*.parquet").replace("'", "''")
        con.execute(
            f"CREATE VIEW incidents AS SELECT * FROM read_parquet('{pattern}', union_by_name = true)"  # noqa: S608 -- a path of ours, quoted
        )
    else:
        con.register("_empty_incidents", SCHEMA.empty_table())
        con.execute("CREATE VIEW incidents AS SELECT * FROM _empty_incidents")
    return con
