"""Extracts uploaded on the web: kept and queued as an import run of the kind "partner_extract"
(safehold.imports, shared with every upload), checked whole and stored all or nothing by a
worker, with the run's page showing progress, then every problem or what was stored.

The run's `result` holds the extract's kind and, once stored, `extract_id`, `rows`, `created`
(False: the same file was already stored), `current` and `superseded` (the date of the extract
it replaced as current, if any)."""

import datetime

from safehold.accounts.models import User
from safehold.core.csvfiles import RowError
from safehold.imports import services as runs
from safehold.imports.models import ImportRun
from safehold.partners.services import ExtractRefused, ImportInvalid, upload_extract
from safehold.sharing.models import InformationSharingAgreement

KIND = "partner_extract"  # the kind of import run, registered in PartnersConfig.ready()
MAX_STORED_ERRORS = 10_000


def start_upload(
    *,
    data,
    file_name: str,
    kind: str,
    agreement: InformationSharingAgreement,
    purpose: str,
    extract_date: datetime.date | None,
    by: User,
) -> ImportRun:
    """Keep an uploaded extract and queue its check and storage (see runs.start_run)."""
    return runs.start_run(
        kind=KIND,
        data=data,
        file_name=file_name,
        by=by,
        params={
            "kind": kind,
            "agreement_id": str(agreement.pk),
            "purpose": purpose,
            "extract_date": extract_date.isoformat() if extract_date else None,
        },
        details={"kind": kind},
    )


def process_upload(
    run: ImportRun,
    data: bytes,
    *,
    kind: str,
    agreement_id: str,
    purpose: str,
    extract_date: str | None,
) -> None:
    """Check the whole file and store it, or record every problem: nothing is stored."""
    agreement = InformationSharingAgreement.objects.get(pk=agreement_id)
    progress = runs.progress_reporter(run, steps=None)
    progress(0, 1)

    def done(result) -> None:
        extract = result.extract
        run.status = ImportRun.Status.DONE
        run.total_rows = run.processed_rows = extract.row_count
        run.result = run.result | {
            "extract_id": str(extract.pk),
            "rows": extract.row_count,
            "created": result.created,
            "current": extract.is_current,
            "extract_date": extract.extract_date.isoformat(),
            "superseded": result.superseded.extract_date.isoformat() if result.superseded else "",
        }
        fields = ["status", "total_rows", "processed_rows", "result", "modified_at"]
        run.save(update_fields=fields)

    try:
        # The run says "done" in the extract's own transaction: a worker killed just after
        # the commit leaves no run to store again, reporting the file as already stored.
        upload_extract(
            then=done,
            agency=run.agency,
            kind=kind,
            agreement=agreement,
            purpose=purpose,
            data=data,
            file_name=run.file_name,
            by=run.uploaded_by,
            extract_date=datetime.date.fromisoformat(extract_date) if extract_date else None,
        )
    except ImportInvalid as exc:
        run.result = run.result | {"errors": len(exc.errors)}
        runs.fail_run(run, exc.errors, limit=MAX_STORED_ERRORS)
        return
    except ExtractRefused as exc:
        runs.fail_run(run, [RowError(0, "", str(exc))])
