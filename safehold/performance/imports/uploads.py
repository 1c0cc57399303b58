"""Indicator and value files uploaded on the web: an import run of the kind "kpi"
(safehold.imports, shared with every upload). The page checks the file at once (KPI files are
small) and lists its problems there; a file without problems is queued and a worker imports it,
all or nothing, checking it again against what Safehold holds by then.

The run's `result` holds what the file contains (`contents`: indicators or values) and, once
imported, `created`, `changed` and `unchanged` rows and the `summary` in words.
"""

from django.db import transaction

from safehold.imports import services as runs
from safehold.imports.models import ImportRun
from safehold.performance.imports.files import ImportInvalid
from safehold.performance.imports.indicators import check_indicators, import_indicators
from safehold.performance.imports.values import check_values, import_values

KIND = "kpi"  # the kind of import run, registered in PerformanceConfig.ready()
CONTENTS = {"indicators": (check_indicators, import_indicators), "values": (check_values, import_values)}  # fmt: skip


def precheck(data: bytes, params: dict) -> None:
    """Check the file in the upload request (raises ImportInvalid with every problem)."""
    check, _ = CONTENTS[params["contents"]]
    check(data=data)


def process_upload(run: ImportRun, data: bytes, *, contents: str) -> None:
    """A worker's part: import the whole file or, on any problem, none; record the result."""
    _, do_import = CONTENTS[contents]
    try:
        # The run says "done" in the import's own transaction: a worker killed just after the
        # commit leaves no run to import again, reporting every row as unchanged (ADR 0063).
        with transaction.atomic():
            result = do_import(data=data, by=run.uploaded_by, file_name=run.file_name)
            run.status = ImportRun.Status.DONE
            run.total_rows = run.processed_rows = result.created + result.changed + result.unchanged
            run.result = run.result | {
                "contents": contents,
                "created": result.created,
                "changed": result.changed,
                "unchanged": result.unchanged,
                "summary": str(result),
            }
            run.save()
    except ImportInvalid as exc:
        runs.fail_run(run, exc.errors)
