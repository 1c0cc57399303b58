"""Import runs on the durable job queue (ADR 0030): an upload is kept on disk, recorded as a
run and queued in the upload's own transaction; a worker (`safehold worker`) checks and imports
it, all or nothing, and records the result on the run.

The queue is Django's tasks API (the `django-tasks` backport) with its database backend, so a
queued run is a row committed with the run itself: a restart of the web server loses nothing,
and a worker that dies mid-run leaves a run that the next worker starts again from the kept
file (imports are all or nothing, so that is safe) or, after a second death, fails clearly with
"nothing was imported". In tests the backend runs the task at once, inside the upload request.

Progress and each running run's heartbeat live in the "imports" cache, not the database: the
import's own transaction is not visible to other requests until it commits (and on SQLite holds
the write lock), while the cache is shared by the server and the workers (files under
DATA_DIR/cache on one machine; a shared cache such as Redis across several).
"""

import datetime
import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.files import File
from django.db.models import F
from django.utils import timezone

from safehold.accounts.models import User
from safehold.audit.services import audit_context, current_context
from safehold.imports.models import ImportRun
from safehold.imports.registry import kind_named

logger = logging.getLogger(__name__)

MAX_STORED_ERRORS = 1000
MAX_ATTEMPTS = 2
PROGRESS_KEY = "safehold:import-progress:{}"
ALIVE_KEY = "safehold:import-alive:{}"
STOPPED = "The import stopped unexpectedly: nothing was imported"


def _cache():
    return caches["imports"]


def heartbeat_seconds() -> float:
    """How often a worker says a run is alive; a run silent for four beats has stalled."""
    return float(getattr(settings, "SAFEHOLD_IMPORT_HEARTBEAT_SECONDS", 15))


def upload_path(run_id) -> Path:
    """Where a run's file is kept until it has been imported (DATA_DIR/imports)."""
    return Path(settings.DATA_DIR) / "imports" / f"{run_id}.csv"


# --- Starting a run (the upload request) ---------------------------------------------------


def start_run(
    *,
    kind: str,
    data: bytes | File,
    file_name: str,
    by: User,
    params: dict | None = None,
    details: dict | None = None,
) -> ImportRun:
    """Record a run, keep the file and queue its import; returns the run (for its page).

    `data` is the file's bytes or an uploaded file (copied in chunks, never held in memory
    whole). `params` are what the upload asked for (the kind's `process` gets them as keyword
    arguments); `details` start the run's `result`. The task is written in the caller's
    transaction, so it is queued exactly when the upload commits, and never without its run."""
    kind_named(kind)  # an unregistered kind is a programming error: fail before keeping anything
    run = ImportRun.objects.create(
        kind=kind,
        uploaded_by=by,
        agency=by.agency,
        file_name=file_name[:200],
        params=params or {},
        result=details or {},
    )
    path = upload_path(run.pk)
    path.parent.mkdir(parents=True, exist_ok=True)
    _keep(path, data)
    enqueue(run)
    return run


def _keep(path: Path, data: bytes | File) -> None:
    if isinstance(data, bytes):
        path.write_bytes(data)
        return
    with open(path, "wb") as out:
        for chunk in data.chunks():
            out.write(chunk)


def enqueue(run: ImportRun, *, context: dict | None = None) -> None:
    """Queue the run's import, carrying the audit context of whoever started it (so the
    worker's audit events name the upload's channel, request and address), and note the
    task on the run."""
    from safehold.imports.tasks import run_import

    if context is None:
        current = current_context()
        context = {
            "channel": current.channel,
            "request_id": current.request_id,
            "ip_address": current.ip_address,
        }
    result = run_import.enqueue(run_id=str(run.pk), **context)
    ImportRun.objects.filter(pk=run.pk).update(task_id=str(result.id))
    run.task_id = str(result.id)


_RUNNING = (ImportRun.Status.VALIDATING, ImportRun.Status.IMPORTING)


# --- Running it (a worker) -----------------------------------------------------------------


def process_run(*, run_id, channel: str, request_id: str = "", ip_address=None) -> str:
    """Check and import a kept file with its kind's `process`, then remove the file. A run
    already finished (a task delivered twice) is left as it is. Returns the run's status."""
    run = ImportRun.objects.select_related("uploaded_by", "uploaded_by__agency").get(pk=run_id)
    if not run.is_running:
        return run.status
    kind = kind_named(run.kind)
    # Claimed by this attempt: a task delivered twice at once runs once.
    claimed = ImportRun.objects.filter(pk=run.pk, attempts=run.attempts).update(
        attempts=F("attempts") + 1, modified_at=timezone.now()
    )
    if not claimed:
        return run.status
    run.attempts += 1
    path = upload_path(run.pk)
    beat = _Heartbeat(run.pk)
    beat.start()
    try:
        with audit_context(channel=channel, request_id=request_id, ip_address=ip_address):
            kind.process(run, path if kind.pass_path else path.read_bytes(), **run.params)
    except Exception:
        logger.exception("Import %s (%s) failed", run_id, run.kind)
        stop(run_id)
        raise
    finally:
        beat.stop()
        path.unlink(missing_ok=True)
        _cache().delete(PROGRESS_KEY.format(run_id))
    return run.status


def stop(run_id, message: str = STOPPED) -> None:
    """Fail a run that did not finish: nothing was imported (its transaction never committed)."""
    ImportRun.objects.filter(pk=run_id).update(
        status=ImportRun.Status.INVALID,
        processed_rows=0,
        errors=[{"row": 0, "column": "", "message": message}],
        modified_at=timezone.now(),
    )
    upload_path(run_id).unlink(missing_ok=True)


class _Heartbeat:
    """Says in the shared cache, every few seconds, that a worker is running the run; a run
    that stops saying so has lost its worker (safehold.imports.services.recover_stalled_runs)."""

    def __init__(self, run_id):
        self.key = ALIVE_KEY.format(run_id)
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, daemon=True)

    def start(self) -> None:
        self._say()
        self.thread.start()

    def _say(self) -> None:
        _cache().set(self.key, timezone.now().isoformat(), heartbeat_seconds() * 4)

    def _beat(self) -> None:
        while not self.stopped.wait(heartbeat_seconds()):
            try:
                self._say()
            except Exception:  # a full disk must not stop the import; the run may look stalled
                logger.exception("Import heartbeat failed")

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)
        _cache().delete(self.key)


def _end_task(task_id: str, status: str = "FAILED", return_value=None) -> dict | None:
    """Mark the dead worker's task ended (failed, unless its run had finished: it would
    otherwise stay "running" for ever) and return the audit context it carried."""
    from django_tasks_db.models import DBTaskResult

    task = DBTaskResult.objects.filter(id=task_id).first() if task_id else None
    if task is None:
        return None
    DBTaskResult.objects.filter(pk=task.pk, status="RUNNING").update(
        status=status, finished_at=timezone.now(), return_value=return_value
    )
    kwargs = dict(task.args_kwargs.get("kwargs", {}))
    kwargs.pop("run_id", None)
    return kwargs


def is_alive(run: ImportRun) -> bool:
    return _cache().get(ALIVE_KEY.format(run.pk)) is not None


def recover_stalled_runs() -> list[ImportRun]:
    """Runs a worker started but that no worker is running any more (it was killed, or its
    machine stopped): started again from the kept file, or after MAX_ATTEMPTS (or with the file
    gone) failed with "nothing was imported". Every import is all or nothing in a transaction
    that died with its worker, so starting again is safe. Called by each worker as it starts
    and every minute while it runs. Returns the runs recovered."""
    stale_before = timezone.now() - datetime.timedelta(seconds=heartbeat_seconds() * 4)
    recovered = _recover_dead_claims(stale_before)
    candidates = ImportRun.objects.filter(
        status__in=_RUNNING, attempts__gt=0, modified_at__lt=stale_before
    )
    for run in candidates:
        if is_alive(run):
            continue
        if run.attempts < MAX_ATTEMPTS and upload_path(run.pk).exists():
            # Conditional on the run still looking stalled: two workers recovering at once
            # start it again once.
            updated = ImportRun.objects.filter(
                pk=run.pk, attempts=run.attempts, modified_at__lt=stale_before
            ).update(
                status=ImportRun.Status.VALIDATING, processed_rows=0, errors=[],
                modified_at=timezone.now(),
            )  # fmt: skip
            if updated:
                logger.warning("Import %s lost its worker: starting it again", run.pk)
                context = _end_task(run.task_id)
                enqueue(run, context=context)
        else:
            logger.warning("Import %s lost its worker: failed, nothing was imported", run.pk)
            _end_task(run.task_id)
            stop(run.pk)
        recovered.append(run)
    return recovered


def _dead_tasks(stale_before) -> list[str]:
    """The tasks a worker claimed long enough ago and still "running" (as ImportRun.task_id)."""
    from django_tasks_db.models import DBTaskResult

    return [
        str(pk)
        for pk in DBTaskResult.objects.filter(
            status="RUNNING", started_at__lt=stale_before
        ).values_list("pk", flat=True)
    ]


def _recover_dead_claims(stale_before) -> list[ImportRun]:
    """A worker killed between claiming a run's task and starting the run (found by the
    crash tests, ADR 0063) leaves the run "checking the file", with no attempt, for ever: its
    task is queued again (no attempt was made). One killed after its run finished but before
    its task was marked done leaves the task "running": it is marked done."""
    dead = _dead_tasks(stale_before)
    if not dead:
        return []
    recovered = []
    for run in ImportRun.objects.filter(task_id__in=dead, modified_at__lt=stale_before):
        if not run.is_running:
            _end_task(run.task_id, status="SUCCESSFUL", return_value=run.status)
            continue
        if run.attempts or is_alive(run):
            continue  # started: recover_stalled_runs judges it by its heartbeat
        updated = ImportRun.objects.filter(pk=run.pk, attempts=0, task_id=run.task_id).update(
            modified_at=timezone.now()
        )
        if updated:
            logger.warning("Import %s lost its worker before it started: queued again", run.pk)
            enqueue(run, context=_end_task(run.task_id))
            recovered.append(run)
    return recovered


# --- Progress and results (called by a kind's process) -------------------------------------


def progress_reporter(run: ImportRun, *, steps: int | None = 100) -> Callable[[int, int], None]:
    """A `progress(done, total)` callback that publishes about `steps` updates in all (every
    call with `steps=None`, for work that reports in a few large steps, such as bytes of
    files converted one by one)."""
    key = PROGRESS_KEY.format(run.pk)
    cache = _cache()

    def progress(done: int, total: int) -> None:
        if steps is None or done % max(1, total // steps) == 0 or done == total:
            cache.set(key, (done, total), 3600)

    return progress


def progress_of(run: ImportRun) -> tuple[int, int]:
    """(rows done, rows in all) so far: the live count while it runs, the final one after."""
    live = _cache().get(PROGRESS_KEY.format(run.pk)) if run.is_running else None
    if live is None:
        return run.processed_rows, run.total_rows
    done, total = live
    return done, total or run.total_rows


def fail_run(run: ImportRun, errors: Sequence, *, limit: int | None = None) -> None:
    """Record a run whose file has errors (RowErrors: `as_dict()` with row, column, message);
    nothing was imported. At most `limit` are kept (the kind's max_stored_errors), and a last
    one says how many more."""
    if limit is None:
        limit = _limit_of(run)
    run.status = ImportRun.Status.INVALID
    run.processed_rows = 0
    run.errors = [e.as_dict() for e in errors[:limit]]
    if len(errors) > limit:
        run.errors.append(
            {"row": 0, "column": "", "message": f"and {len(errors) - limit:,} more problems"}
        )
    run.save()


def _limit_of(run: ImportRun) -> int:
    try:
        return kind_named(run.kind).max_stored_errors
    except LookupError:
        return MAX_STORED_ERRORS
