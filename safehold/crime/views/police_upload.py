"""police.uk data on the web: what the analytics store holds (with the import history and its
CSV download), and the upload of a police.uk CSV or download zip with its progress and result.

The upload is an import run (safehold.imports), like every other upload: the
file is kept, its names and headers checked (the run's page then says what the import will do),
then imported in the background, all or nothing (safehold.crime.ingest). The pages read the
store with DuckDB; the ORM serves the session, the user, the runs, the import records and the
audit log, each in a fixed number of queries.
"""

import io

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from safehold import audit
from safehold.audit.choices import Action, Channel
from safehold.core import dates
from safehold.crime import queries
from safehold.crime.choices import Kind
from safehold.crime.forces import name_of
from safehold.crime.forms import PoliceUploadForm
from safehold.crime.ingest import recovery
from safehold.crime.ingest.history import (
    holdings,
    imports_visible_to,
    month_ranges,
    write_history_csv,
)
from safehold.crime.ingest.uploads import KIND, max_upload_mb
from safehold.crime.rules import can_import_crime_data, can_view_crime_analytics
from safehold.crime.views.police import analysis_nav
from safehold.imports import views as runs
from safehold.imports.models import ImportRun
from safehold.imports.registry import UploadPage
from safehold.imports.services import progress_of

HISTORY_PER_PAGE = 50
KIND_LABELS = dict(Kind.choices)


def _nav(request: HttpRequest, current: str) -> list[dict]:
    """The police.uk pages' sub navigation (the dashboard's), with the upload for importers."""
    items = analysis_nav("data" if current == "crime:police-data" else "", None)
    if can_import_crime_data(request.user):
        items.append(
            {
                "href": reverse("crime:police-upload"),
                "text": "Upload police.uk files",
                "current": current == "crime:police-upload",
            }
        )
    return items


# --- What is loaded -------------------------------------------------------------------------


@require_GET
def data(request: HttpRequest) -> HttpResponse:
    """The store's coverage (months, forces, crime types, rows), what it holds by kind and
    force, and every import, a page at a time; `?format=csv` downloads the imports."""
    if not can_view_crime_analytics(request.user):
        raise PermissionDenied
    # An import interrupted while swapping its files in is finished or undone before the page
    # says what is loaded (never waiting for an import that is running).
    recovery.recover(wait=False)
    records = imports_visible_to(request.user)
    if request.GET.get("format") == "csv":
        return _history_csv(request, records)
    with queries.connect() as con:
        coverage = queries.coverage(con)
        held = holdings(con)
    page = Paginator(records, HISTORY_PER_PAGE).get_page(request.GET.get("page"))
    audit.record(
        action=Action.CONSULT,
        actor=request.user,
        object_type="crime.import",
        object_ids=[r.pk for r in page] or ["none"],
        purpose=f"police.uk data loaded (imports page {page.number})",
    )
    return render(
        request,
        "crime/police_data.html",
        {
            "coverage": coverage,
            "coverage_months": month_ranges(coverage.months),
            "coverage_forces": [name_of(f) for f in coverage.forces],
            "holdings": [
                {
                    "kind": KIND_LABELS.get(h.kind, h.kind),
                    "force": h.force_name,
                    "months": month_ranges(h.months),
                    "count": len(h.months),
                    "rows": h.rows,
                }
                for h in held
            ],
            "page": page,
            "imports": [
                {
                    "record": r,
                    "kind": KIND_LABELS.get(r.kind, r.kind),
                    "force": name_of(r.force),
                    "month": month_ranges([r.month]),
                }
                for r in page
            ],
            "nav": _nav(request, "crime:police-data"),
            "can_import": can_import_crime_data(request.user),
            "max_mb": max_upload_mb(),
        },
    )


def _history_csv(request: HttpRequest, records) -> HttpResponse:
    out = io.StringIO()
    out.write("\ufeff")  # a byte order mark, so that Excel reads the file as UTF-8
    written = write_history_csv(records.iterator(chunk_size=2000), out)
    audit.record(
        action=Action.CONSULT,
        actor=request.user,
        object_type="crime.import",
        object_ids=["all"],
        purpose=f"police.uk import history (csv): {written:,} import(s)",
        channel=Channel.EXPORT,
    )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"police-uk-imports-{dates.today().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- Uploads --------------------------------------------------------------------------------
# The shared upload and run pages (safehold.imports) with this app's templates and navigation.


# Not in the request's transaction: the import writes Parquet files and their audit event in
# two stores, and swaps the files in inside its own transaction once the event is written
# (ADR 0014, 0020). A request transaction rolled back after that would take the event and the
# import records, and leave the files.
@transaction.non_atomic_requests
def upload(request: HttpRequest) -> HttpResponse:
    return runs.upload(request, kind=KIND)


def _progress_label(run: ImportRun) -> str:
    if run.status == ImportRun.Status.VALIDATING:
        return "Checking the names and headers of the files"
    done, total = progress_of(run)
    if not total:
        return "Reading the files"
    if done < total:
        return f"Checked and converted {_size(done)} of {_size(total)} ({done * 100 // total}%)"
    return "Placing rows by their coordinates and storing the files"


def _size(n: int) -> str:
    return f"{n / 1e6:,.1f} MB" if n >= 1_000_000 else f"{n / 1e3:,.0f} KB"


def _plan_rows(plan: dict) -> list[dict]:
    return [
        {
            "kind": KIND_LABELS.get(g["kind"], g["kind"]),
            "force": g["force_name"],
            "months": month_ranges(g["months"]),
            "files": len(g["months"]),
            "replacing": month_ranges(g["replacing"]) if g["replacing"] else "",
            "replacing_count": len(g["replacing"]),
        }
        for g in plan.get("groups", [])
    ]


def _result_rows(result: dict) -> list[dict]:
    return [
        {
            "kind": KIND_LABELS.get(g["kind"], g["kind"]),
            "force": g["force_name"],
            "months": month_ranges(g["months"]),
            "rows": g["rows"],
            "new": len(g["new"]),
            "replaced": len(g["replaced"]),
            "placed": g["placed"],
            "unplaced": g["unplaced"],
        }
        for g in result.get("groups", [])
    ]


def upload_run(request: HttpRequest, pk) -> HttpResponse:
    """One upload: what it will do and its progress while it runs, then its problems (paged)
    or what it imported."""
    return runs.run_detail(request, pk, kind=KIND)


def _run_context(request: HttpRequest, run: ImportRun) -> dict:
    result = run.result or {}
    return {
        "progress_label": _progress_label(run),
        "plan": result.get("plan"),
        "plan_rows": _plan_rows(result.get("plan") or {}),
        "result_rows": _result_rows(result),
        "rows_by_kind": [
            (KIND_LABELS.get(k, k), n) for k, n in (result.get("rows_by_kind") or {}).items()
        ],
        "nav": _nav(request, "crime:police-upload"),
    }


UPLOAD_PAGE = UploadPage(
    form_class=PoliceUploadForm,
    template="crime/police_upload.html",
    run_template="crime/police_upload_run.html",
    upload_url="crime:police-upload",
    run_url="crime:police-upload-run",
    context=lambda request: {"nav": _nav(request, "crime:police-upload")},
    run_context=_run_context,
)
