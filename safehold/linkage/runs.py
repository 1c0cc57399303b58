"""Linkage runs started from the pages: an import run of the kind "linkage_run" on the shared job
queue (safehold.imports), so a run has the imports' page with its progress, its history and
its recovery after a crash. The file kept is only the JSON of the request (the engine); the
worker calls `services.run_linkage` with the run's progress reporter, and the run's `result`
holds the figures of the linkage run it made (`linkage_run_id`, `records`, `people`,
`linked_pairs`, `review_pairs`, `engine`)."""

import json

from safehold.accounts.models import User
from safehold.core.csvfiles import RowError
from safehold.imports import services as runs
from safehold.imports.models import ImportRun
from safehold.linkage import services
from safehold.linkage.choices import RunStatus
from safehold.linkage.models import Run
from safehold.sharing.middleware import unrestricted

KIND = "linkage_run"  # the kind of import run, registered in LinkageConfig.ready()
ENGINES = ("duckdb", "spark")
FILE_NAME = "linkage-request.json"

STEPS = (
    "Reading the records",
    "Training the model",
    "Scoring and grouping the pairs",
    "Keeping the results",
    "Finished",
)


def start_linkage_run(*, by: User, engine_name: str = "duckdb") -> ImportRun:
    """Queue a linkage run (see imports.services.start_run); returns the import run, for its
    page."""
    if engine_name not in ENGINES:
        raise ValueError(f"No linkage engine called {engine_name}")
    request = {"engine_name": engine_name}
    return runs.start_run(
        kind=KIND,
        data=json.dumps(request).encode(),
        file_name=FILE_NAME,
        by=by,
        params=request,
        details={"engine": engine_name},
    )


def process_run(run: ImportRun, data: bytes, *, engine_name: str) -> None:
    """Link the records, reporting each step; a run that fails says why, and the current run
    stays the one before."""
    progress = runs.progress_reporter(run, steps=None)
    if run.attempts > 1:  # the worker of an earlier attempt died: its linkage run never ended
        services.abandon(
            Run.objects.filter(
                status=RunStatus.RUNNING, started_by=run.uploaded_by, created_at__gte=run.created_at
            ),
            why="The linkage run stopped unexpectedly: it was started again",
        )

    def done(made: Run) -> None:
        run.status = ImportRun.Status.DONE
        run.total_rows = run.processed_rows = made.record_count
        run.result = run.result | {
            "linkage_run_id": str(made.pk),
            "records": made.record_count,
            "people": made.cluster_count,
            "linked_pairs": made.linked_pair_count,
            "review_pairs": made.review_pair_count,
            "engine": made.engine,
        }
        fields = ["status", "total_rows", "processed_rows", "result", "modified_at"]
        run.save(update_fields=fields)

    try:
        # The partnership's processing, as the worker does it (with no agency's restriction),
        # also when it runs inside the starting request (tests): only the figures leave it.
        # The import run says "done" in the transaction that keeps the results (ADR 0063).
        with unrestricted():
            services.run_linkage(
                by=run.uploaded_by, engine_name=engine_name, progress=progress, then=done
            )
    except Exception as exc:  # the engine's own errors: shown on the run's page
        runs.fail_run(run, [RowError(0, "", f"The linkage run failed: {exc}"[:500])])
