"""Import runs: an uploaded file kept, checked and imported in the background, with its progress.

The one mechanism behind every upload page (historic cases here, partner incident logs and
police.uk files in safehold.crime). `start_run` records an ImportRun and keeps the file in
DATA_DIR/imports; with SAFEHOLD_IMPORT_IN_BACKGROUND the kind's `process(run, data)` runs in a
thread once the upload request has committed (at once otherwise, as in tests), so the run's
page can show real progress. A kind whose files are too big to hold in memory (police.uk zips)
asks for the kept file's path instead of its bytes. Progress lives in the cache, not the
database: the import's own transaction is not visible to other requests until it commits,
while the cache is (a shared cache such as Redis when Safehold runs in several processes).
"""

import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.db import connection, transaction

from safehold.accounts.models import User
from safehold.audit.choices import Channel
from safehold.audit.services import audit_context
from safehold.cases.models import ImportRun

logger = logging.getLogger(__name__)

MAX_STORED_ERRORS = 1000
PROGRESS_KEY = "safehold:import-progress:{}"
STOPPED = "The import stopped unexpectedly: nothing was imported"

# What a kind of import does with a kept file (its bytes, or with `pass_path` its path): check
# it, import it and record the result on the run (with `fail_run` for errors and
# `progress_reporter` for live progress).
Process = Callable[[ImportRun, bytes | Path], object]


def upload_path(run_id) -> Path:
    return Path(settings.DATA_DIR) / "imports" / f"{run_id}.csv"


def start_run(
    *,
    kind: str,
    data: bytes | File,
    file_name: str,
    by: User,
    process: Process,
    details: dict | None = None,
    pass_path: bool = False,
) -> ImportRun:
    """Record a run, keep the file and queue `process`; returns the run (for its page).
    `data` is the file's bytes or an uploaded file (copied in chunks, never held in memory
    whole). `details` start the run's `result` (what the upload asked for, such as a source
    name). With `pass_path`, `process` is given the kept file's path, not its bytes."""
    run = ImportRun.objects.create(
        kind=kind,
        uploaded_by=by,
        agency=by.agency,
        file_name=file_name[:200],
        result=details or {},
    )
    path = upload_path(run.pk)
    path.parent.mkdir(parents=True, exist_ok=True)
    _keep(path, data)
    if getattr(settings, "SAFEHOLD_IMPORT_IN_BACKGROUND", False):
        transaction.on_commit(
            lambda: threading.Thread(
                target=_run_in_thread, args=(run.pk, process, pass_path), daemon=True
            ).start()
        )
    else:
        run_now(run_id=run.pk, process=process, pass_path=pass_path)
    return run


def _keep(path: Path, data: bytes | File) -> None:
    if isinstance(data, bytes):
        path.write_bytes(data)
        return
    with open(path, "wb") as out:
        for chunk in data.chunks():
            out.write(chunk)


def _run_in_thread(run_id, process: Process, pass_path: bool = False) -> None:
    try:
        with audit_context(channel=Channel.WEB):
            run_now(run_id=run_id, process=process, pass_path=pass_path)
    except Exception:
        logger.exception("Import %s failed", run_id)
        ImportRun.objects.filter(pk=run_id).update(
            status=ImportRun.Status.INVALID,
            errors=[{"row": 0, "column": "", "message": STOPPED}],
        )
    finally:
        connection.close()


def run_now(*, run_id, process: Process, pass_path: bool = False) -> ImportRun:
    """Process a kept upload and remove it, whatever happens."""
    run = ImportRun.objects.select_related("uploaded_by", "uploaded_by__agency").get(pk=run_id)
    path = upload_path(run_id)
    try:
        process(run, path if pass_path else path.read_bytes())
        return run
    finally:
        path.unlink(missing_ok=True)
        cache.delete(PROGRESS_KEY.format(run_id))


def progress_reporter(run: ImportRun, *, steps: int | None = 100) -> Callable[[int, int], None]:
    """A `progress(done, total)` callback that publishes about `steps` updates in all (every
    call with `steps=None`, for work that reports in a few large steps, such as bytes of
    files converted one by one)."""
    key = PROGRESS_KEY.format(run.pk)

    def progress(done: int, total: int) -> None:
        if steps is None or done % max(1, total // steps) == 0 or done == total:
            cache.set(key, (done, total), 3600)

    return progress


def progress_of(run: ImportRun) -> tuple[int, int]:
    """(rows done, rows in all) so far: the live count while it runs, the final one after."""
    live = cache.get(PROGRESS_KEY.format(run.pk))
    if live is None:
        return run.processed_rows, run.total_rows
    done, total = live
    return done, total or run.total_rows


def fail_run(run: ImportRun, errors: Sequence, *, limit: int = MAX_STORED_ERRORS) -> None:
    """Record a run whose file has errors (RowErrors: `as_dict()` with row, column, message);
    nothing was imported. At most `limit` are kept, and a last one says how many more."""
    run.status = ImportRun.Status.INVALID
    run.processed_rows = 0
    run.errors = [e.as_dict() for e in errors[:limit]]
    if len(errors) > limit:
        run.errors.append(
            {"row": 0, "column": "", "message": f"and {len(errors) - limit:,} more problems"}
        )
    run.save()


def is_running(run: ImportRun) -> bool:
    return run.status in (ImportRun.Status.VALIDATING, ImportRun.Status.IMPORTING)
