"""police.uk files uploaded on the web: one CSV or a police.uk download zip, kept on disk and
imported as an import run of the kind "police" (safehold.imports, shared with every upload),
with live progress. A worker is given the kept file's path: a zip is never held in memory.

The run's `result` holds, once the names and headers are checked, the `plan` (what the import
will do: the files found by kind and force, and the force-months it will replace); and once
imported, what it did: `files`, `rows`, `rows_by_kind`, `new`, `replaced` (force-months),
`placed` and `unplaced` (rows without an LSOA placed by their coordinates, or not), `seconds`
and `groups` (the same by kind and force). A refused run keeps every problem, by file.
"""

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files import File

from safehold.accounts.models import User
from safehold.crime.forces import name_of
from safehold.crime.ingest import (
    ImportedFile,
    ImportPlan,
    ImportRefused,
    ImportResult,
    import_police_files,
    plan_police_files,
    recovery,
)
from safehold.crime.ingest.convert import sha256_of
from safehold.crime.models import CrimeImport
from safehold.crime.store import Partition
from safehold.imports import services as runs
from safehold.imports.models import ImportRun

KIND = "police"  # the kind of import run, registered in CrimeConfig.ready()

# A download of every force for years has thousands of files: each problem is kept (paged on
# the run's page) up to this many.
MAX_STORED_ERRORS = 10_000
DEFAULT_MAX_UPLOAD_MB = 500


def max_upload_mb() -> int:
    """The largest upload accepted, in MB (SAFEHOLD_POLICE_UPLOAD_MAX_MB, default 500)."""
    return int(getattr(settings, "SAFEHOLD_POLICE_UPLOAD_MAX_MB", DEFAULT_MAX_UPLOAD_MB))


def start_upload(*, file: File | bytes, file_name: str, by: User) -> ImportRun:
    """Keep an uploaded CSV or zip (copied to disk in chunks) and queue its import."""
    return runs.start_run(kind=KIND, data=file, file_name=file_name, by=by)


@dataclass(frozen=True)
class FileProblem:
    """One reason the upload was refused, and the file (or zip member) it is about."""

    file: str
    message: str

    def as_dict(self) -> dict:
        return {"row": 0, "column": "", "file": self.file, "message": self.message}


def problem(error: str, *, file_name: str, kept: Path | None = None) -> FileProblem:
    """Split an import error ("name.zip:2023-03/….csv: row 5 …") into its file and message;
    the path the upload was kept under never reaches the page."""
    if kept is not None:
        error = error.replace(str(kept), file_name).replace(str(kept.parent) + "/", "")
    if error.startswith(f"{file_name}: "):
        return FileProblem(file_name, error[len(file_name) + 2 :])
    if error.startswith(f"{file_name}:"):
        member, _, message = error[len(file_name) + 1 :].partition(": ")
        return FileProblem(member, message)
    return FileProblem("", error)


def _refuse(run: ImportRun, errors: list[str], kept: Path) -> None:
    problems = [problem(e, file_name=run.file_name, kept=kept) for e in errors]
    run.result = run.result | {"errors": len(problems)}
    runs.fail_run(run, problems, limit=MAX_STORED_ERRORS)


def process_upload(run: ImportRun, path: Path) -> None:
    """Check the names and headers (and record the plan), then import all the files or, on any
    problem, none; progress is the bytes of the files converted so far."""
    names = {path: run.file_name}
    plan = plan_police_files(paths=[path], names=names)
    if plan.errors:
        _refuse(run, plan.errors, path)
        return
    run.status = ImportRun.Status.IMPORTING
    # The plan is what the first attempt found: a later one (its worker died) may find the
    # store already holding that attempt's files.
    run.result = {"plan": describe_plan(plan)} | run.result
    run.save(update_fields=["status", "result", "modified_at"])
    result = finished_earlier(run, plan) if run.attempts > 1 else None
    if result is None:
        try:
            result = import_police_files(
                paths=[path],
                names=names,
                by=run.uploaded_by,
                progress=runs.progress_reporter(run, steps=None),
            )
        except ImportRefused as exc:
            _refuse(run, exc.errors, path)
            return
    run.status = ImportRun.Status.DONE
    run.total_rows = run.processed_rows = result.rows
    run.result = run.result | describe_result(result)
    run.save(update_fields=["status", "total_rows", "processed_rows", "result", "modified_at"])


def finished_earlier(run: ImportRun, plan: ImportPlan) -> ImportResult | None:
    """On a run's next attempt (its worker died): the import its earlier attempt made, if that
    one swapped every file in before it died (recovery finishes it, ADR 26), so the same files
    are not imported, and recorded, a second time (ADR 0063). None: import them."""
    recovery.recover()  # settles the dead attempt's pending import, under the writer lock
    done = {
        (Partition(r.kind, r.force, r.month), r.sha256): r
        for r in CrimeImport.objects.filter(
            status=CrimeImport.Status.DONE, created_at__gte=run.created_at
        )
    }
    records = [done.get((source.partition, sha256_of(source))) for source in plan.sources]
    if not records or None in records or len({r.run for r in records}) != 1:
        return None
    files = [
        ImportedFile(
            source=r.source,
            partition=Partition(r.kind, r.force, r.month),
            rows=r.rows,
            placed=r.placed,
            unplaced=r.unplaced,
            sha256=r.sha256,
            replaced=r.replaced,
        )
        for r in records
    ]
    return ImportResult(run=records[0].run, files=files, seconds=0.0)


def describe_plan(plan: ImportPlan) -> dict:
    """The plan as the run keeps it: the files by kind and force, with their months and the
    months the store already holds (the import replaces those)."""
    groups: dict[tuple[str, str], dict] = {}
    for source in plan.sources:
        p = source.partition
        group = groups.setdefault(
            (p.kind, p.force),
            {"kind": p.kind, "force": p.force, "force_name": name_of(p.force), "months": [],
             "replacing": [], "bytes": 0},
        )  # fmt: skip
        group["months"].append(p.month)
        group["bytes"] += source.size
        if p in plan.replacing:
            group["replacing"].append(p.month)
    return {
        "files": len(plan.sources),
        "bytes": sum(s.size for s in plan.sources),
        "replacing": len(plan.replacing),
        "groups": [groups[k] for k in sorted(groups)],
    }


def describe_result(result: ImportResult) -> dict:
    """What the import did, in numbers, in all and by kind and force."""
    groups: dict[tuple[str, str], dict] = {}
    for f in result.files:
        p = f.partition
        group = groups.setdefault(
            (p.kind, p.force),
            {"kind": p.kind, "force": p.force, "force_name": name_of(p.force), "months": [],
             "new": [], "replaced": [], "rows": 0, "placed": 0, "unplaced": 0},
        )  # fmt: skip
        group["months"].append(p.month)
        group["replaced" if f.replaced else "new"].append(p.month)
        group["rows"] += f.rows
        group["placed"] += f.placed
        group["unplaced"] += f.unplaced
    by_kind: dict[str, int] = defaultdict(int)
    for f in result.files:
        by_kind[f.partition.kind] += f.rows
    return {
        "run": str(result.run),
        "files": len(result.files),
        "rows": result.rows,
        "rows_by_kind": dict(sorted(by_kind.items())),
        "new": len(result.files) - result.replaced,
        "replaced": result.replaced,
        "placed": result.placed,
        "unplaced": result.unplaced,
        "seconds": round(result.seconds, 2),
        "groups": [groups[k] for k in sorted(groups)],
    }
