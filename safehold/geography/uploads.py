"""Postcode points uploaded on the web: checked and loaded as an import run of the kind
"postcodes" (safehold.imports), on a worker, with progress. The run's `result` holds what
was loaded: `postcodes` and `skipped`."""

from pathlib import Path

from safehold.core.csvfiles import ImportInvalid
from safehold.geography.postcode_files import load_postcode_points
from safehold.imports import services as runs
from safehold.imports.models import ImportRun

KIND = "postcodes"  # the kind of import run, registered in GeographyConfig.ready()


def process_upload(run: ImportRun, path: Path) -> None:
    """Check the whole file, then load all of it or, on any problem, none."""
    try:
        loaded = load_postcode_points(
            source=path,
            file_name=run.file_name,
            by=run.uploaded_by,
            progress=runs.progress_reporter(run),
        )
    except ImportInvalid as exc:
        runs.fail_run(run, exc.errors)
        return
    run.status = ImportRun.Status.DONE
    run.total_rows = loaded.postcodes + loaded.skipped
    run.processed_rows = run.total_rows
    run.result = run.result | {"postcodes": loaded.postcodes, "skipped": loaded.skipped}
    run.save(update_fields=["status", "total_rows", "processed_rows", "result", "modified_at"])
