"""The analytics store's layout on disk, and swapping new partitions in atomically.

    DATA_DIR/crime/kind=street/force=avon-and-somerset/month=2021-08/data.parquet
    DATA_DIR/crime/geography/{gm,ew}/*.parquet
    DATA_DIR/crime/.staging/<run>/…      (an import's files before they are swapped in)

One Parquet file per kind, force and month: re-importing a force-month replaces its file
(docs/adr/0017-crime-store-and-geography.md).
"""

import contextlib
import fcntl
import os
import shutil
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

KINDS = ("street", "outcomes", "stop-and-search")
DATA_FILE = "data.parquet"


def store_root() -> Path:
    """Where the crime store lives: `DATA_DIR/crime` (read at call time, so tests can move it)."""
    return Path(settings.DATA_DIR) / "crime"


def duckdb_config() -> dict[str, object]:
    """DuckDB's limits for every Safehold connection: bounded memory, a fixed thread count."""
    return {
        "threads": int(getattr(settings, "SAFEHOLD_DUCKDB_THREADS", 2)),
        "memory_limit": str(getattr(settings, "SAFEHOLD_DUCKDB_MEMORY_LIMIT", "1500MB")),
    }


def sql_string(value: str | Path) -> str:
    """A SQL string literal (for file paths in COPY, which takes no parameters)."""
    return "'" + str(value).replace("'", "''") + "'"


@dataclass(frozen=True, order=True)
class Partition:
    """One kind, force and month of police.uk data: one Parquet file in the store."""

    kind: str
    force: str
    month: str

    def path(self, root: Path) -> Path:
        return (
            root / f"kind={self.kind}" / f"force={self.force}" / f"month={self.month}" / DATA_FILE
        )

    def __str__(self) -> str:
        return f"{self.kind} {self.force} {self.month}"


def kind_glob(root: Path, kind: str) -> str:
    return str(root / f"kind={kind}" / "force=*" / "month=*" / DATA_FILE)


def has_partitions(root: Path, kind: str) -> bool:
    return any((root / f"kind={kind}").glob(f"force=*/month=*/{DATA_FILE}"))


def partitions(root: Path, kind: str) -> list[Partition]:
    """The force-months of one kind held in the store."""
    found = []
    for path in (root / f"kind={kind}").glob(f"force=*/month=*/{DATA_FILE}"):
        force, month = path.parent.parent.name.split("=", 1)[1], path.parent.name.split("=", 1)[1]
        found.append(Partition(kind, force, month))
    return sorted(found)


@contextlib.contextmanager
def staging(root: Path) -> Iterator[Path]:
    """A fresh folder beside the store (same file system, so renames are atomic), removed after."""
    path = root / ".staging" / uuid.uuid4().hex
    path.mkdir(parents=True)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def writer_lock(root: Path) -> Iterator[None]:
    """One import at a time swaps partitions in (readers are never blocked)."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def swap_in(root: Path, staged: dict[Partition, Path], trash: Path) -> set[Partition]:
    """Move each staged file to its partition, replacing what was there; all or none.

    Each replacement is one `os.replace`, so a reader sees the old file or the new one, never a
    half-written one. The old files are kept (hard links in `trash`) until every move has
    worked; if one fails, the moves already made are undone and the error raised. Returns the
    partitions that replaced earlier data.
    """
    trash.mkdir(parents=True, exist_ok=True)
    done: list[tuple[Partition, Path | None]] = []
    try:
        for i, (partition, source) in enumerate(sorted(staged.items())):
            target = partition.path(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            kept = None
            if target.exists():
                kept = trash / f"{i}.parquet"
                os.link(target, kept)
            os.replace(source, target)
            done.append((partition, kept))
    except BaseException:
        for partition, kept in reversed(done):
            target = partition.path(root)
            if kept is not None:
                os.replace(kept, target)
            else:
                target.unlink(missing_ok=True)
        raise
    return {partition for partition, kept in done if kept is not None}


def run(con, sql: str, params: Sequence[object] = ()) -> list[tuple]:
    """Run a statement and read its whole result (DuckDB 2 holds a connection's unread result
    open, and other work on the connection waits for it)."""
    return con.execute(sql, list(params)).fetchall()


def scalar(con, sql: str, params: Sequence[object] = ()) -> object:
    return run(con, sql, params)[0][0]
