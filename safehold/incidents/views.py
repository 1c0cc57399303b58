"""Partner incident logs on the web: what is stored, the upload with its progress, and the
peak-times pages (hour of day by day of week, seasons, hot spots).

Every analysis page takes the same GET filters (no JavaScript needed), draws its chart beside a
table of the same numbers, records one consult event, and offers CSV and JSON downloads
(audited as exports, in the formats of safehold.incidents.formats) and a printable view.
The pages read the analytics store (DuckDB over Parquet); the ORM only serves the session,
the user and the audit log, so their query count does not depend on the data.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from safehold import audit
from safehold.audit.choices import Action, Channel
from safehold.core.documents import Table
from safehold.hotspots.grid import DEFAULT_CELL_SIZE
from safehold.imports import views as runs
from safehold.imports.registry import UploadPage
from safehold.incidents import formats, uploads
from safehold.incidents.forms import HotspotFilterForm, IncidentFilterForm
from safehold.incidents.forms import IncidentUploadForm as UploadForm
from safehold.incidents.rules import can_import_incidents as can_import_crime_data
from safehold.incidents.rules import can_view_incidents as can_view_crime_analytics
from safehold.incidents.selectors import connect, heatmap, seasonal, summary
from safehold.incidents.services import COLUMNS
from safehold.incidents.store import source_key
from safehold.incidents.summaries import (
    heatmap_words,
    run_hotspots,
    seasonal_words,
    ward_counts,
)

ANALYSES = {"heatmap": "heat map", "seasonal": "seasonal profile", "hotspots": "hot spots"}
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
# The query-string keys of the filters (a page is filtered when any is present).
FILTER_KEYS = (
    "date_from_day", "date_from_month", "date_from_year", "date_to_day", "date_to_month",
    "date_to_year", "types", "sources", "cell_size", "radius", "area",
)  # fmt: skip
AREA_PHRASES = {"stockport": "the extent of Stockport", "incidents": "the incidents' own extent"}


def _may_view(user) -> None:
    if not can_view_crime_analytics(user):
        raise PermissionDenied


def _object_ids(filters: dict) -> list[str]:
    return [source_key(s) for s in filters["sources"]] or ["all"]


def _describe(filters: dict) -> str:
    """The filters in words, for the audit purpose and the page."""
    f = filters
    parts = []
    if f["date_from"] or f["date_to"]:
        start = f["date_from"].isoformat() if f["date_from"] else "the first incident"
        end = f["date_to"].isoformat() if f["date_to"] else "the last incident"
        parts.append(f"{start} to {end}")
    if f["types"]:
        parts.append("types " + ", ".join(f["types"]))
    if f["sources"]:
        parts.append("sources " + ", ".join(f["sources"]))
    return "; ".join(parts) or "all incidents"


def _query_without(request: HttpRequest, *names: str) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


def _filter_query(request: HttpRequest) -> str:
    """The filters of this request as a query string, for links between the pages."""
    params = request.GET.copy()
    for key in list(params):
        if key not in FILTER_KEYS:
            params.pop(key)
    return params.urlencode()


def _bound(request: HttpRequest):
    return request.GET if any(key in request.GET for key in FILTER_KEYS) else None


def _nav(request: HttpRequest, current: str) -> list[dict]:
    query = _filter_query(request)
    items = [
        ("crime:incidents", "Overview"),
        ("crime:incidents-heatmap", "Peak times"),
        ("crime:incidents-seasonal", "Seasons"),
        ("crime:incidents-hotspots", "Hot spots"),
    ]
    nav = [
        {
            "href": reverse(name) + (f"?{query}" if query else ""),
            "text": text,
            "current": name == current,
        }
        for name, text in items
    ]
    if can_import_crime_data(request.user):
        nav.append(
            {
                "href": reverse("crime:incidents-upload"),
                "text": "Upload a log",
                "current": current == "crime:incidents-upload",
            }
        )
    return nav


# --- What there is -------------------------------------------------------------------------


def overview(request: HttpRequest) -> HttpResponse:
    """The sources stored, their incidents, dates and types, and the way to each analysis."""
    _may_view(request.user)
    with connect() as con:
        sources = summary(con)
    audit.record(
        action=Action.CONSULT,
        actor=request.user,
        object_type="crime.incidents",
        object_ids=[source_key(s.source) for s in sources] or ["all"],
        purpose="incident log overview",
    )
    return render(
        request,
        "incidents/incidents_overview.html",
        {
            "sources": sources,
            "total": sum(s.incidents for s in sources),
            "nav": _nav(request, "crime:incidents"),
            "can_import": can_import_crime_data(request.user),
        },
    )


# --- The analyses --------------------------------------------------------------------------


def _download(request, kind: str, content: str, fmt: str, filters: dict) -> HttpResponse:
    audit.record(
        action=Action.CONSULT,
        actor=request.user,
        object_type="crime.incidents",
        object_ids=_object_ids(filters),
        purpose=f"incident {ANALYSES[kind]} ({fmt}): {_describe(filters)}",
        channel=Channel.EXPORT,
    )
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    extension = "geojson" if kind == "hotspots" and fmt == "json" else fmt
    dates = "-".join(
        d.isoformat() for d in (filters["date_from"], filters["date_to"]) if d is not None
    )
    name = f"incidents-{kind}{f'-{dates}' if dates else ''}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _consult(request, kind: str, filters: dict) -> None:
    audit.record(
        action=Action.CONSULT,
        actor=request.user,
        object_type="crime.incidents",
        object_ids=_object_ids(filters),
        purpose=f"incident {ANALYSES[kind]}: {_describe(filters)}",
    )


def _analysis_page(request: HttpRequest, kind: str) -> HttpResponse:
    _may_view(request.user)
    with connect() as con:
        sources = summary(con)
    form_class = HotspotFilterForm if kind == "hotspots" else IncidentFilterForm
    form = form_class(_bound(request), sources=sources)
    url_name = {
        "heatmap": "crime:incidents-heatmap",
        "seasonal": "crime:incidents-seasonal",
        "hotspots": "crime:incidents-hotspots",
    }[kind]
    context = {
        "form": form,
        "sources": sources,
        "nav": _nav(request, url_name),
        "kind": kind,
        "title": {
            "heatmap": "Peak times",
            "seasonal": "Seasons",
            "hotspots": "Hot spots",
        }[kind],
    }
    fmt = request.GET.get("format", "")
    if form.is_bound and not form.is_valid():
        return render(request, f"incidents/incidents_{kind}.html", context, status=400)
    filters = form.filters() if form.is_bound else _no_filters()
    try:
        context |= _analyse(kind, filters, form)
    except ValueError as exc:
        form.add_error(None, str(exc))
        return render(request, f"incidents/incidents_{kind}.html", context, status=400)
    if fmt in CONTENT_TYPES:
        return _download(request, kind, _render_file(kind, context, fmt), fmt, filters)
    _consult(request, kind, filters)
    base = _query_without(request, "format")
    context |= {
        "filters_in_words": _describe(filters),
        "downloads": [
            ("CSV", f"?{base}&format=csv" if base else "?format=csv"),
            (
                "GeoJSON" if kind == "hotspots" else "JSON",
                f"?{base}&format=json" if base else "?format=json",
            ),
        ],
        "print_url": reverse("crime:incidents-print")
        + (f"?{_filter_query(request)}" if _filter_query(request) else ""),
    }
    return render(request, f"incidents/incidents_{kind}.html", context)


def _no_filters() -> dict:
    """Everything: what an analysis page shows before any filter is chosen."""
    return {"date_from": None, "date_to": None, "types": (), "sources": ()}


def _grid_options(form) -> dict:
    if form.is_bound and isinstance(form, HotspotFilterForm):
        return form.grid()
    return {"cell_size": DEFAULT_CELL_SIZE, "radius": 1, "area": "stockport"}


def _analyse(kind: str, filters: dict, form) -> dict:
    if kind == "heatmap":
        with connect() as con:
            h = heatmap(con, **filters)
        words = heatmap_words(h)
        return {
            "heatmap": h,
            "heatmap_words": words,
            "description": " ".join(words),
            "table_rows": list(zip(h.days, h.counts, h.day_totals, strict=True)),
        }
    if kind == "seasonal":
        with connect() as con:
            s = seasonal(con, **filters)
        return {
            "seasonal": s,
            "seasonal_words": seasonal_words(s),
            "months_table": Table(
                "months", "Incidents by month of the year", "Month",
                [(m.name, m.incidents) for m in s.months],
            ),
            "around_table": Table(
                "around", "Incidents from 28 October to 8 November", "Day",
                [(d.label, d.incidents) for d in s.around],
            ),
        }  # fmt: skip
    options = _grid_options(form)
    result = run_hotspots(filters, **options)
    return {
        "hotspots": result,
        "grid": options,
        "area_label": AREA_PHRASES[options["area"]],
        "wards": ward_counts(filters),
    }


def _render_file(kind: str, context: dict, fmt: str) -> str:
    if kind == "heatmap":
        return formats.render("heatmap", context["heatmap"], fmt)
    if kind == "seasonal":
        return formats.render("seasonal", context["seasonal"], fmt)
    result = context["hotspots"]
    return formats.render("hotspots", (result.analysis, result.filters), fmt)


@require_GET
def heatmap_page(request: HttpRequest) -> HttpResponse:
    return _analysis_page(request, "heatmap")


@require_GET
def seasonal_page(request: HttpRequest) -> HttpResponse:
    return _analysis_page(request, "seasonal")


@require_GET
def hotspots_page(request: HttpRequest) -> HttpResponse:
    return _analysis_page(request, "hotspots")


@require_GET
def print_view(request: HttpRequest) -> HttpResponse:
    """The three analyses for the filters on one page laid out for paper; audited as an export."""
    _may_view(request.user)
    with connect() as con:
        sources = summary(con)
    form = HotspotFilterForm(_bound(request), sources=sources)
    if form.is_bound and not form.is_valid():
        return redirect(reverse("crime:incidents-heatmap") + f"?{_filter_query(request)}")
    filters = form.filters() if form.is_bound else _no_filters()
    context = {"form": form, "filters_in_words": _describe(filters), "printed_at": None}
    try:
        for kind in ANALYSES:
            context |= _analyse(kind, filters, form)
    except ValueError as exc:
        form.add_error(None, str(exc))
        return render(request, "incidents/incidents_print.html", context, status=400)
    audit.record(
        action=Action.CONSULT,
        actor=request.user,
        object_type="crime.incidents",
        object_ids=_object_ids(filters),
        purpose=f"incident analyses (print): {_describe(filters)}",
        channel=Channel.EXPORT,
    )
    context["printed_at"] = datetime.datetime.now(datetime.UTC)
    return render(request, "incidents/incidents_print.html", context)


# --- Uploads -------------------------------------------------------------------------------
# The shared upload and run pages (safehold.imports) with this app's templates and navigation.

UPLOAD_PAGE = UploadPage(
    form_class=UploadForm,
    template="incidents/incidents_upload.html",
    run_template="incidents/incidents_upload_run.html",
    upload_url="crime:incidents-upload",
    run_url="crime:incidents-upload-run",
    context=lambda request: {"columns": COLUMNS, "nav": _nav(request, "crime:incidents-upload")},
    params=lambda form, context: {"source": form.cleaned_data["source"] or None},
    details=lambda form: {"source_named": form.cleaned_data["source"] or ""},
    run_context=lambda request, run: {
        "nav": _nav(request, "crime:incidents-upload"),
        "unknown_postcodes": any(
            e.get("column") == "postcode" and "not in the postcode lookup" in e.get("message", "")
            for e in run.errors or ()
        ),
    },
)


# Not in the request's transaction: the import writes a Parquet file and its audit event in
# two stores, and renames the file into place inside its own transaction, once the event is
# written (ADR 0014). A request transaction rolled back after that would take the event and
# leave the file.
@transaction.non_atomic_requests
def upload(request: HttpRequest) -> HttpResponse:
    return runs.upload(request, kind=uploads.KIND)


def upload_run(request: HttpRequest, pk) -> HttpResponse:
    """One upload: its progress while it runs, then its errors (paged) or what it imported."""
    return runs.run_detail(request, pk, kind=uploads.KIND)
