"""Police.uk data's layout in the analytics store, and swapping new partitions in atomically.

    DATA_DIR/crime/kind=street/force=avon-and-somerset/month=2021-08/data.parquet
    DATA_DIR/crime/kind=street/force=avon-and-somerset/month=2021-08/counts.parquet
    DATA_DIR/crime/geography/{gm,ew}/*.parquet
    DATA_DIR/crime/.staging/<run>/…      (an import's files before they are swapped in)

One Parquet file per kind, force and month: re-importing a force-month replaces its file
(docs/adr/0017-crime-store-and-geography.md). Connections, SQL helpers and the lock are the
analytics store's (safehold/analytics/store.py), re-exported here for the police.uk code. Each file names the import run that wrote it
(RUN_KEY in its Parquet metadata), so that a run interrupted while swapping its files in can be
finished or undone (docs/adr/0026-crime-import-pending-runs-and-recovery.md). Beside each street file, its counts
by crime type and LSOA (COUNTS_FILE), written by the same run and swapped in with it, so that
summaries answer from the counts instead of the rows (docs/adr/0038-crime-counts-kept-at-import.md).
"""

import contextlib
import os
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

from safehold.analytics.store import duckdb_config, lock, run, scalar, sql_string, store_root
from safehold.core.testhooks import pause_at

__all__ = [
    "COUNTS_FILE",
    "DATA_FILE",
    "KINDS",
    "RUN_KEY",
    "STAGING",
    "Partition",
    "counts_path_text",
    "duckdb_config",
    "has_counts",
    "has_partitions",
    "kind_glob",
    "partitions",
    "pending_marker",
    "remove_stale_staging",
    "run",
    "scalar",
    "sql_string",
    "staging",
    "staging_dir",
    "store_root",
    "street_files",
    "swap_in",
    "writer_lock",
    "written_by",
]  # fmt: skip

KINDS = ("street", "outcomes", "stop-and-search")
DATA_FILE = "data.parquet"
COUNTS_FILE = "counts.parquet"  # a street file's rows counted by crime type and LSOA
RUN_KEY = "safehold_run"
STAGING = ".staging"


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

    def counts_path(self, root: Path) -> Path:
        return self.path(root).with_name(COUNTS_FILE)

    def __str__(self) -> str:
        return f"{self.kind} {self.force} {self.month}"


def kind_glob(root: Path, kind: str) -> str:
    return str(root / f"kind={kind}" / "force=*" / "month=*" / DATA_FILE)


def _listed(root: Path, kind: str) -> Iterator[tuple[str, str, set[str]]]:
    """Each force-month folder of a kind: its force, month and the names of the files in it
    (os.scandir: a connection lists the street folders more than once, and pathlib's glob is
    several times slower over the 500 folders of a national year)."""
    try:
        forces = os.scandir(root / f"kind={kind}")
    except FileNotFoundError:
        return
    with forces:
        for force in forces:
            if not (force.name.startswith("force=") and force.is_dir()):
                continue
            with os.scandir(force.path) as months:
                for month in months:
                    if not (month.name.startswith("month=") and month.is_dir()):
                        continue
                    with os.scandir(month.path) as files:
                        names = {f.name for f in files}
                    yield force.name.split("=", 1)[1], month.name.split("=", 1)[1], names


def has_partitions(root: Path, kind: str) -> bool:
    return any(DATA_FILE in names for _, _, names in _listed(root, kind))


def has_counts(root: Path) -> bool:
    """Every street file has its counts beside it (a store written before the counts were
    kept has none until `safehold crime recount`)."""
    return all(
        COUNTS_FILE in names for _, _, names in _listed(root, "street") if DATA_FILE in names
    )


def street_files(root: Path) -> tuple[list[Partition], list[Partition]]:
    """The street force-months held, and those of them with their counts, in order (one
    listing of the folder, where `partitions` and `has_counts` list it once each)."""
    held, counted = [], []
    for force, month, names in _listed(root, "street"):
        if DATA_FILE in names:
            held.append(Partition("street", force, month))
            if COUNTS_FILE in names:
                counted.append(held[-1])
    return sorted(held), sorted(counted)


def counts_path_text(root: Path, partition: Partition) -> str:
    """`partition.counts_path(root)` as text, built without pathlib (a connection names the
    counts of every street file it holds: 500 for a national year)."""
    return (
        f"{root}/kind={partition.kind}/force={partition.force}/month={partition.month}/"
        + COUNTS_FILE
    )


def partitions(root: Path, kind: str) -> list[Partition]:
    """The force-months of one kind held in the store."""
    return sorted(
        Partition(kind, force, month)
        for force, month, names in _listed(root, kind)
        if DATA_FILE in names
    )


def written_by(path: Path) -> str | None:
    """The import run that wrote a store file (its RUN_KEY metadata); None if there is no
    file, or it names none."""
    try:
        metadata = pq.read_metadata(path).metadata or {}
    except (OSError, ValueError):  # no file, or not a Parquet file (pyarrow's ArrowInvalid)
        return None
    value = metadata.get(RUN_KEY.encode())
    return value.decode() if value is not None else None


def staging_dir(root: Path) -> Path:
    return root / STAGING


@contextlib.contextmanager
def staging(root: Path, name: str) -> Iterator[Path]:
    """A fresh folder beside the store (same file system, so renames are atomic), removed
    after unless it holds a PENDING file (see pending_marker). The import holds a shared lock
    on the staging area meanwhile, so that remove_stale_staging leaves it alone."""
    with lock(root, shared=True, name=f"{STAGING}.lock"):
        path = staging_dir(root) / name
        path.mkdir(parents=True)
        try:
            yield path
        finally:
            if not pending_marker(path).exists():
                shutil.rmtree(path, ignore_errors=True)


def pending_marker(stage: Path) -> Path:
    """A file in a staging folder while its run is recorded as pending: the folder (and the
    earlier files kept in it) must stay until the run is finished or undone."""
    return stage / "PENDING"


def remove_stale_staging(root: Path, keep: Sequence[str] = ()) -> list[str]:
    """Remove the staging folders no import is using (those of processes that stopped), except
    those named in `keep`; returns the names removed. Does nothing while any import runs."""
    folder = staging_dir(root)
    if not folder.exists():
        return []
    removed = []
    with lock(root, wait=False, name=f"{STAGING}.lock") as alone:
        if not alone:
            return []
        for path in sorted(folder.iterdir()):
            if path.name not in keep:
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)
                removed.append(path.name)
    return removed


@contextlib.contextmanager
def writer_lock(root: Path, wait: bool = True) -> Iterator[bool]:
    """One import at a time swaps partitions in (readers are never blocked). Yields False,
    without `wait`, if another process holds it."""
    with lock(root, wait=wait) as held:
        yield held


def swap_in(root: Path, staged: dict[Partition, Path], trash: Path) -> set[Partition]:
    """Move each staged file to its partition, replacing what was there; all or none.

    Each replacement is one `os.replace`, so a reader sees the old file or the new one, never a
    half-written one. A staged file's counts (COUNTS_FILE beside it) move just before it, so a
    data file written by a run always has that run's counts beside it. The old files are kept
    (hard links in `trash`, at their partition's path) until every move has worked; if one
    fails, the moves already made are undone and the error raised. If the process is killed,
    the links stay for recovery to put back. Returns the partitions that replaced earlier data.
    """
    trash.mkdir(parents=True, exist_ok=True)
    done: list[tuple[Path, Path | None]] = []  # (target, the earlier file kept in trash)
    replaced: set[Partition] = set()
    try:
        for partition, source in sorted(staged.items()):
            counts = source.with_name(COUNTS_FILE)
            moves = [(counts, partition.counts_path(root), partition.counts_path(trash))]
            moves = [m for m in moves if m[0].exists()]
            moves.append((source, partition.path(root), partition.path(trash)))
            for moving, target, keep in moves:
                target.parent.mkdir(parents=True, exist_ok=True)
                kept = None
                if target.exists():
                    kept = keep
                    kept.parent.mkdir(parents=True, exist_ok=True)
                    os.link(target, kept)
                    if target.name == DATA_FILE:
                        replaced.add(partition)
                os.replace(moving, target)
                done.append((target, kept))
            pause_at("swapping")
    except BaseException:
        for target, kept in reversed(done):
            if kept is not None:
                os.replace(kept, target)
            else:
                target.unlink(missing_ok=True)
        raise
    return replaced
