"""Finishing or undoing police.uk import runs that a stopped process left pending, and removing
the staging folders no import is using (docs/adr/0026-crime-import-pending-runs-and-recovery.md).

An import commits its records as `pending` (with its audit event) before it swaps its files in
and marks them `done` after, all under the store's writer lock. A live import holds that lock
from the first step to the last, so whoever holds it and finds pending records knows that the
process that wrote them has gone. Each file in the store names the run that wrote it: if every
file of a pending run is in place, the run is finished (marked done); otherwise the files it had
moved in are put back (the earlier ones are kept as hard links in its staging folder) and its
records deleted. Either way an audit event says so.

`recover` runs before every import (command line and upload page), on the "what is loaded" page
and as `safehold crime recover`. It also counts any street file that has no counts beside it (a
store written before imports kept them, docs/adr/0038-crime-counts-kept-at-import.md).
"""

import os
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from safehold import audit
from safehold.analytics import store as analytics
from safehold.audit.choices import Action
from safehold.crime import store
from safehold.crime.ingest.convert import count_rows
from safehold.crime.models import CrimeImport
from safehold.crime.store import Partition

ACTOR_LABEL = "import recovery"


@dataclass
class Recovered:
    """What `recover` did: the runs finished and undone, the staging folders removed."""

    finished: list[uuid.UUID] = field(default_factory=list)
    undone: list[uuid.UUID] = field(default_factory=list)
    staging_removed: list[str] = field(default_factory=list)
    counted: list[Partition] = field(default_factory=list)


def _pending() -> "list[CrimeImport]":
    return list(CrimeImport.objects.filter(status=CrimeImport.Status.PENDING).order_by("run"))


def recover(root: Path | None = None, *, wait: bool = True) -> Recovered:
    """Finish or undo every pending run, then remove stale staging folders. Without `wait`,
    skip the runs if an import holds the writer lock (it recovers them itself)."""
    root = root or store.store_root()
    done = Recovered()
    if not root.exists():
        return done
    pending = _pending()
    uncounted = not store.has_counts(root)
    if pending or uncounted:
        with store.writer_lock(root, wait=wait) as held:
            if held:
                done.finished, done.undone = recover_runs(root)
                pending = []
                done.counted = count_missing(root)
    # The folder of a run still pending (the lock was busy) keeps the earlier files its run may
    # need. A run pending from now on is a live import's, whose staging lock stops the removal.
    keep = sorted({r.run.hex for r in pending})
    done.staging_removed = store.remove_stale_staging(root, keep=keep)
    return done


def count_missing(root: Path) -> list[Partition]:
    """Write the counts of every street file that has none (the caller holds the writer lock);
    each is tagged with the run that wrote its file and moved in whole."""
    missing = [p for p in store.partitions(root, "street") if not p.counts_path(root).exists()]
    if not missing:
        return []
    con = analytics.connect()
    try:
        for partition in missing:
            target = partition.counts_path(root)
            temp = target.with_suffix(".partial")
            count_rows(
                con, partition.path(root), temp, store.written_by(partition.path(root)) or ""
            )
            os.replace(temp, target)
    finally:
        con.close()
    return missing


def recover_runs(root: Path) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
    """Finish or undo every pending run; the caller holds the writer lock."""
    by_run: dict[uuid.UUID, list[CrimeImport]] = defaultdict(list)
    for record in _pending():
        by_run[record.run].append(record)
    finished, undone = [], []
    for run_id, records in by_run.items():
        if _recover_run(root, run_id, records):
            finished.append(run_id)
        else:
            undone.append(run_id)
    return finished, undone


def _partition(record: CrimeImport) -> Partition:
    return Partition(record.kind, record.force, record.month)


def _recover_run(root: Path, run_id: uuid.UUID, records: list[CrimeImport]) -> bool:
    """Finish the run if all its files are in place (True); otherwise put back what it moved
    and forget it (False). Files first, then the database: if this stops half way, doing it
    again finds the same answer."""
    moved = [r for r in records if store.written_by(_partition(r).path(root)) == str(run_id)]
    if len(moved) == len(records):
        with transaction.atomic(), audit.immediately():
            marked = CrimeImport.objects.filter(
                pk__in=[r.pk for r in records], status=CrimeImport.Status.PENDING
            ).update(status=CrimeImport.Status.DONE)
            if marked:
                audit.record(
                    action=Action.ALTER,
                    object_type="crime.import",
                    object_ids=[r.pk for r in records],
                    purpose=(
                        f"police.uk import run {run_id} finished after it was interrupted: "
                        f"its {len(records):,} file(s) were all in the store"
                    ),
                    actor_label=ACTOR_LABEL,
                )
        return True
    trash = store.staging_dir(root) / run_id.hex / "trash"
    kept_new = []  # moved in over an earlier file that is gone: the new file stays, recorded
    for record in moved:
        partition = _partition(record)
        earlier = partition.path(trash)
        if earlier.exists():
            os.replace(earlier, partition.path(root))
        elif not record.replaced:
            partition.path(root).unlink(missing_ok=True)
        else:
            kept_new.append(record)
    # A file's counts move in just before it (store.swap_in): the run's counts go back with
    # its files, including those of a file the run stopped before moving.
    for record in records:
        if record in kept_new:
            continue
        partition = _partition(record)
        counts = partition.counts_path(root)
        if store.written_by(counts) == str(run_id):
            earlier = partition.counts_path(trash)
            if earlier.exists():
                os.replace(earlier, counts)
            else:
                counts.unlink(missing_ok=True)
    with transaction.atomic(), audit.immediately():
        CrimeImport.objects.filter(pk__in=[r.pk for r in kept_new]).update(
            status=CrimeImport.Status.DONE
        )
        forget(
            run_id,
            [r for r in records if r not in kept_new],
            why=(
                f"undone after it was interrupted ({len(moved) - len(kept_new):,} of "
                f"{len(records):,} file(s) had been swapped in and were put back)"
            ),
        )
    return False


def forget(
    run_id: uuid.UUID,
    records: Sequence[CrimeImport],
    *,
    why: str,
    by=None,
    actor_label: str = ACTOR_LABEL,
) -> None:
    """Delete a run's pending records, with an audit event saying why (its files are not in
    the store, or were put back)."""
    with transaction.atomic(), audit.immediately():
        deleted, _ = CrimeImport.objects.filter(
            pk__in=[r.pk for r in records], status=CrimeImport.Status.PENDING
        ).delete()
        if deleted:
            audit.record(
                action=Action.ERASE,
                actor=by,
                object_type="crime.import",
                object_ids=[r.pk for r in records],
                purpose=f"police.uk import run {run_id} {why}",
                actor_label="" if by is not None else actor_label,
            )
