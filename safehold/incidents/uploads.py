"""Incident logs uploaded on the web: checked and imported as an import run of the kind
"incidents" (safehold.imports, shared with every upload), with live progress.

The run's `result` holds the source named on the upload and, once imported, what the import
did: `source`, `added`, `replaced`, `unchanged`, `kept` and `total` (incidents of the source).
"""

from django.db import transaction

from safehold.accounts.models import User
from safehold.imports import services as runs
from safehold.imports.models import ImportRun
from safehold.incidents.imports import apply_plan
from safehold.incidents.validation import validate_incidents

KIND = "incidents"  # the kind of import run, registered in IncidentsConfig.ready()

# Every problem of a file is listed on its page (paged); beyond this many the page says how
# many more there are, so one wrong column in a million-row file does not fill the database.
MAX_STORED_ERRORS = 10_000


def start_upload(*, data, file_name: str, source: str | None, by: User) -> ImportRun:
    """Keep an uploaded incident log and queue its check and import (see runs.start_run)."""
    return runs.start_run(
        kind=KIND,
        data=data,
        file_name=file_name,
        by=by,
        params={"source": source or None},
        details={"source_named": source or ""},
    )


def process_upload(run: ImportRun, data: bytes, *, source: str | None) -> None:
    """Check the whole file (progress row by row), then import it all or, on any error, none."""
    plan = validate_incidents(
        data=data,
        source=source,
        file_name=run.file_name,
        progress=runs.progress_reporter(run),
    )
    run.total_rows = plan.rows_in_file
    if plan.errors:
        run.result = run.result | {"errors": len(plan.errors)}
        runs.fail_run(run, plan.errors, limit=MAX_STORED_ERRORS)
        return
    run.status = ImportRun.Status.IMPORTING
    run.processed_rows = plan.rows_in_file
    run.save(update_fields=["status", "total_rows", "processed_rows", "modified_at"])
    # The run says "done" in the import's own transaction (with its audit event, committed
    # after the file is swapped in): a worker killed just after the commit leaves no run to
    # import again, reporting every row as unchanged (ADR 0063).
    with transaction.atomic():
        result = apply_plan(plan=plan, by=run.uploaded_by)
        run.status = ImportRun.Status.DONE
        run.result = run.result | {
            "source": result.source,
            "added": result.added,
            "replaced": result.replaced,
            "unchanged": result.unchanged,
            "kept": result.kept,
            "total": result.total,
        }
        run.save(update_fields=["status", "result", "modified_at"])
