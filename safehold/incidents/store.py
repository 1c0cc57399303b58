"""Where partner incident logs live: one Parquet dataset per source in DATA_DIR/incidents.

The analytics store of docs/adr/0002: `DATA_DIR/incidents/sources/<key>.parquet`, each file
replaced whole and atomically (written beside, then renamed over) under the store's exclusive
lock, and read through DuckDB as the view `incidents`. The connection, the lock and the durable
rename are the analytics store's (safehold/analytics/store.py). The datasets hold no names: reference, type, when
and where. Layout and columns: docs/formats/incidents-csv.md.
"""

import contextlib
import datetime
import hashlib
import logging
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
from safehold.audit.models import AuditEvent

logger = logging.getLogger(__name__)

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


def interrupted_path(final: Path, sha256: str, *, existed: bool) -> Path:
    """Beside `final` while an import of the file `sha256` commits: the dataset it replaces
    (a hard link, `.before`), or an empty marker if there was none (`.none`)."""
    return final.with_name(f".{final.name}.{sha256}.{'before' if existed else 'none'}")


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
    settle(data_dir)
    if any(folder.glob("*.parquet")):
        pattern = str(folder / "*.parquet").replace("'", "''")
        con.execute(
            f"CREATE VIEW incidents AS SELECT * FROM read_parquet('{pattern}', union_by_name = true)"  # noqa: S608 -- a path of ours, quoted
        )
    else:
        con.register("_empty_incidents", SCHEMA.empty_table())
        con.execute("CREATE VIEW incidents AS SELECT * FROM _empty_incidents")
    return con


def settle_interrupted(final: Path) -> list[Path]:
    """Undo the swap of an import whose process died between swapping its file in and
    committing its audit event (ADR 0063): the dataset it replaced is put back (or, if there
    was none, its file removed), so the store never holds rows without their event and the
    next import of the file reports what it changes. The caller holds the store's lock."""
    undone = []
    for mark in sorted(final.parent.glob(f".{final.name}.*")):
        if mark.suffix not in (".before", ".none"):
            continue
        sha256 = mark.name.rsplit(".", 2)[-2]
        # Made (linked or created) as the import swapped: the change time says when.
        since = datetime.datetime.fromtimestamp(mark.stat().st_ctime, tz=datetime.UTC)
        committed = AuditEvent.objects.filter(
            object_type="crime.incidents",
            object_ids__contains=f"sha256:{sha256}",
            occurred_at__gte=since - datetime.timedelta(minutes=1),
        ).exists()
        if committed:
            mark.unlink()
            continue
        logger.warning("Undoing the interrupted import of %s into %s", sha256, final.name)
        if mark.suffix == ".before":
            replace(mark, final)
        else:
            final.unlink(missing_ok=True)
            mark.unlink()
        undone.append(final)
    return undone


def settle(data_dir: Path | None = None) -> None:
    """Settle what an import killed before its commit left (settle_interrupted), if no import
    is running now (the lock is free): a reader never sees rows that have no audit event."""
    folder = sources_dir(data_dir)
    marks = [m for m in folder.glob(".*") if m.suffix in (".before", ".none")]
    if not marks:
        return
    with lock(store_dir(data_dir), wait=False) as held:
        if held:
            for final in {m.parent / m.name[1:].rsplit(".", 2)[0] for m in marks}:
                settle_interrupted(final)
