"""Importing police.uk files into the analytics store (docs/formats/police-uk.md).

`import_police_files` takes CSVs, folders and the police.uk download zip. Every file of a run
is checked (name, header, the month of every row, the force its rows fall within) and
converted to Parquet beside the store before anything in the store changes; then each
force-month's file is swapped in, replacing an earlier import of it. A run is all or nothing:
any problem refuses the whole run, naming each file and row, and the store is left as it was.
The run is recorded as pending before its files are swapped in and done after, so that a run
interrupted in between is finished or undone later (safehold.crime.ingest.recovery, ADR 26).
"""

import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import duckdb
from django.core.exceptions import PermissionDenied
from django.db import transaction

from safehold import audit
from safehold.analytics import store as analytics
from safehold.audit.choices import Action
from safehold.core.testhooks import pause_at
from safehold.crime import store
from safehold.crime.ingest import checks, recovery
from safehold.crime.ingest.convert import (
    ConversionFailed,
    Converted,
    convert,
    sha256_of,
    write_counts,
)
from safehold.crime.ingest.files import ImportRefused, Source, find_sources, header_error
from safehold.crime.models import CrimeImport
from safehold.crime.rules import can_import_crime_data
from safehold.crime.store import Partition
from safehold.geography import layers

__all__ = [
    "ImportPlan",
    "ImportRefused",
    "ImportResult",
    "ImportedFile",
    "import_police_files",
    "plan_police_files",
]

Progress = Callable[[int, int], None]  # (bytes done, bytes in all)


@dataclass(frozen=True)
class ImportedFile:
    source: str
    partition: Partition
    rows: int
    placed: int
    unplaced: int
    sha256: str
    replaced: bool


@dataclass(frozen=True)
class ImportResult:
    run: uuid.UUID
    files: list[ImportedFile]
    seconds: float

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files)

    @property
    def placed(self) -> int:
        return sum(f.placed for f in self.files)

    @property
    def unplaced(self) -> int:
        return sum(f.unplaced for f in self.files)

    @property
    def replaced(self) -> int:
        return sum(f.replaced for f in self.files)

    def rows_by_kind(self) -> dict[str, int]:
        totals: dict[str, int] = defaultdict(int)
        for f in self.files:
            totals[f.partition.kind] += f.rows
        return dict(totals)


@dataclass(frozen=True)
class ImportPlan:
    """What an import of some files would do, found without reading them in full: the
    police.uk files found (each a kind, force and month), the force-months the store already
    holds (which the import would replace), and every problem of names and headers."""

    sources: list[Source]
    replacing: frozenset[Partition]
    errors: list[str]


def plan_police_files(
    *,
    paths: Sequence[Path | str],
    names: Mapping[Path, str] | None = None,
    root: Path | None = None,
) -> ImportPlan:
    """Find the files and check their names and headers (cheap: the first block of each).
    A plan without errors can still be refused by the import (a row's month, a value)."""
    root = root or store.store_root()
    sources, errors = find_sources([Path(p) for p in paths], names)
    errors += [e for e in map(header_error, sources) if e]
    sources, duplicates = _one_per_partition(sources)
    errors += duplicates
    if not errors and not sources:
        errors.append("No police.uk files were given.")
    replacing = frozenset(s.partition for s in sources if s.partition.path(root).exists())
    return ImportPlan(sources, replacing, errors)


def import_police_files(
    *,
    paths: Sequence[Path | str],
    names: Mapping[Path, str] | None = None,
    by=None,
    progress: Progress | None = None,
    root: Path | None = None,
) -> ImportResult:
    """Import police.uk files: all of them, or (raising ImportRefused) none.

    `by` is the user importing (None on the command line without --user); only analysts and
    administrators may import. `names` names files kept under another name (see find_sources).
    """
    if by is not None and not can_import_crime_data(by):
        raise PermissionDenied("Only analysts and administrators can import police data.")
    started = time.monotonic()
    root = root or store.store_root()
    # Runs a stopped import left behind, and its staging folders (the swap below recovers
    # pending runs again, under the lock, if another import holds it now).
    recovery.recover(root, wait=False)
    plan = plan_police_files(paths=paths, names=names, root=root)
    if plan.errors:
        raise ImportRefused(plan.errors)
    sources = plan.sources
    layers.ensure_loaded(root)
    run_id = uuid.uuid4()
    with store.staging(root, run_id.hex) as stage:
        converted = _convert_all(sources, stage, run_id, progress)
        con = analytics.connect()
        checks.check_forces(con, converted)
        counts = checks.place(con, converted, root, stage, run_id)
        write_counts(con, converted, run_id)
        result = _swap_in(root, stage, run_id, converted, counts, by, started)
    _summarise_months(
        root, {f.partition.month for f in result.files if f.partition.kind == "street"}
    )
    return result


def _summarise_months(root: Path, months: set[str]) -> None:
    """Make the monthly summary files of the months imported (queries.monthly), so the first
    summary after an import is read, not made. Not part of the import: a summary file is made
    again whenever it is stale, so one not made here (the process stopped) is made when next
    needed."""
    if not months:
        return
    from safehold.crime.queries import connect, monthly  # queries read what ingest writes

    con = connect(root)
    try:
        monthly.month_files(con, root, months)
    finally:
        con.close()


def _one_per_partition(sources: list[Source]) -> tuple[list[Source], list[str]]:
    """The same force-month given twice is imported once if the files are the same."""
    by_partition: dict[Partition, list[Source]] = defaultdict(list)
    for source in sources:
        by_partition[source.partition].append(source)
    kept, errors = [], []
    for partition, group in by_partition.items():
        if len(group) > 1 and len({sha256_of(s) for s in group}) > 1:
            names = ", ".join(s.label for s in group)
            errors.append(f"Two different files for {partition}: {names}")
            continue
        kept.append(group[0])
    return sorted(kept, key=lambda s: s.partition), errors


def _convert_all(
    sources: list[Source], stage: Path, run_id: uuid.UUID, progress: Progress | None
) -> list[Converted]:
    """Convert every file in a few worker threads, each with its own single-threaded DuckDB
    (small files convert best side by side); every failure is collected, then raised."""
    config = store.duckdb_config()
    workers = max(1, min(int(config["threads"]), len(sources)))
    memory = _split_memory(str(config["memory_limit"]), workers)
    per_worker_threads = max(1, int(config["threads"]) // workers)
    local = threading.local()
    connections = []

    def connection() -> duckdb.DuckDBPyConnection:
        if not hasattr(local, "con"):
            local.con = analytics.connect(threads=per_worker_threads, memory_limit=memory)
            connections.append(local.con)
        return local.con

    total = sum(s.size for s in sources)
    done = 0
    converted: dict[Partition, Converted] = {}
    errors: list[str] = []
    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = {
                pool.submit(lambda s: convert(connection(), s, stage, run_id), s): s
                for s in sources
            }
            for future in as_completed(futures):
                source = futures[future]
                try:
                    converted[source.partition] = future.result()
                except ConversionFailed as exc:
                    errors.append(str(exc))
                done += source.size
                if progress:
                    progress(done, total)
    finally:
        for con in connections:
            con.close()
    if errors:
        raise ImportRefused(sorted(errors))
    return [converted[s.partition] for s in sources]


def _split_memory(limit: str, parts: int) -> str:
    """'1500MB' split between two workers is '750MB'."""
    units = {"KB": 1e3, "MB": 1e6, "GB": 1e9, "KIB": 1024, "MIB": 1024**2, "GIB": 1024**3}
    number = "".join(c for c in limit if c.isdigit() or c == ".")
    unit = limit[len(number) :].strip().upper() or "B"
    total = float(number) * units.get(unit, 1)
    return f"{max(total / parts, 64e6) / 1e6:.0f}MB"


def _swap_in(root, stage, run_id, converted, counts, by, started) -> ImportResult:
    """Record the run as pending with its audit event, swap its files in, then mark it done:
    each step committed before the next, all under the writer lock (ADR 26). A process killed
    between them leaves a pending run that recovery finishes or undoes; an error while swapping
    is undone at once, files and records.

    The audit event is appended at once, in the pending records' transaction, even when the
    import runs in a view (every view collects its events to append when it returns, ADR 15):
    once the files are swapped in, a failure later in the view must not drop their event. The
    caller must not hold a transaction open around the import for the same reason (ADR 14,
    20)."""
    with store.writer_lock(root):
        recovery.recover_runs(root)  # a run left pending goes before this one touches the store
        existing = {c.source.partition for c in converted if c.source.partition.path(root).exists()}
        files = [
            ImportedFile(
                source=c.source.label,
                partition=c.source.partition,
                rows=c.rows,
                placed=counts[c.source.partition][0],
                unplaced=counts[c.source.partition][1],
                sha256=c.sha256,
                replaced=c.source.partition in existing,
            )
            for c in converted
        ]
        with transaction.atomic(), audit.immediately():
            records = CrimeImport.objects.bulk_create(
                CrimeImport(
                    run=run_id,
                    source=f.source[-500:],
                    kind=f.partition.kind,
                    force=f.partition.force,
                    month=f.partition.month,
                    rows=f.rows,
                    placed=f.placed,
                    unplaced=f.unplaced,
                    sha256=f.sha256,
                    replaced=f.replaced,
                    imported_by=by,
                    status=CrimeImport.Status.PENDING,
                )
                for f in files
            )
            rows = sum(f.rows for f in files)
            audit.record(
                action=Action.COLLECT,
                actor=by,
                object_type="crime.import",
                object_ids=[r.pk for r in records],
                purpose=(
                    f"police.uk import: {len(files):,} file(s), {rows:,} rows "
                    f"({len(existing):,} force-month(s) replaced)"
                ),
                actor_label="" if by is not None else "command line",
            )
        # Until the run is settled its staging folder stays, with the earlier files recovery
        # may need to put back.
        store.pending_marker(stage).touch()
        try:
            store.swap_in(root, {c.source.partition: c.parquet for c in converted}, stage / "trash")
        except BaseException as exc:  # swap_in has put the earlier files back
            recovery.forget(
                run_id,
                records,
                why=f"undone: its files could not be moved into the store ({type(exc).__name__})",
                by=by,
                actor_label="command line",
            )
            store.pending_marker(stage).unlink()
            raise
        pause_at("swapped")
        CrimeImport.objects.filter(run=run_id).update(status=CrimeImport.Status.DONE)
        store.pending_marker(stage).unlink()
    return ImportResult(run_id, files, time.monotonic() - started)
