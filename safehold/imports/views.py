"""The one upload page and the one run page, for every kind of import.

Each app keeps its URLs (`cases:import`, `crime:incidents-upload`, …) and its two views, which
call these with its kind (and mark the upload non-atomic where the import commits its own
transaction, ADR 0014); the kind's UploadPage gives the templates and the extra
context. While a run is running its page polls itself with htmx every two seconds and swaps in
the new progress (without JavaScript a <noscript> refresh reloads the whole page instead); when
a poll finds the run finished it asks htmx for a full reload, so the result, the error summary
and the title are those of a freshly loaded page.
"""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render

from safehold.core.csvfiles import ImportInvalid
from safehold.core.visibility import get_visible_or_404
from safehold.imports import services
from safehold.imports.registry import ImportKind, kind_named
from safehold.imports.selectors import runs_visible_to

ERRORS_PER_PAGE = 100
PROBLEMS_SHOWN = 200


def _page_of(kind: ImportKind):
    if kind.page is None:
        raise LookupError(f"The import kind “{kind.name}” has no upload page")
    return kind.page


def upload(request: HttpRequest, *, kind: str) -> HttpResponse:
    """The form, the recent runs of the user's agency; a valid file becomes a queued run and the
    browser goes to its page (or, for a kind that checks small files at once, the problems)."""
    import_kind = kind_named(kind)
    page = _page_of(import_kind)
    context = page.context(request)  # may refuse (PermissionDenied) before anything else
    if not import_kind.may_import(request.user):
        raise PermissionDenied
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    form = page.form_class(request.POST, request.FILES) if request.method == "POST" else None
    form = form or page.form_class()
    problems = []
    if form.is_bound and form.is_valid():
        file = form.cleaned_data["file"]
        params = page.params(form, context)
        if page.precheck is not None:
            try:
                page.precheck(file.read(), params)
            except ImportInvalid as exc:
                problems = exc.errors
        if not problems:
            run = services.start_run(
                kind=kind,
                data=file,
                file_name=file.name,
                by=request.user,
                params=params,
                details=page.details(form),
            )
            return redirect(page.run_url, pk=run.pk)
    runs = (
        runs_visible_to(request.user, kind=kind)
        .select_related("uploaded_by")
        .order_by("-created_at")[: page.recent_runs]
    )
    status = page.form_error_status if form.errors else (400 if problems else 200)
    return render(
        request,
        page.template,
        {
            "form": form,
            "runs": runs,
            "run_url": page.run_url,
            "max_mb": form.limit_mb(),
            "problems": problems[:PROBLEMS_SHOWN],
            "more_problems": max(0, len(problems) - PROBLEMS_SHOWN),
            **context,
        },
        status=status,
    )


def run_detail(request: HttpRequest, pk, *, kind: str) -> HttpResponse:
    """One run: its progress while it runs, then its problems (paged) or what it imported."""
    page = _page_of(kind_named(kind))
    run = get_visible_or_404(
        runs_visible_to(request.user, kind=kind).select_related("uploaded_by"), pk=pk
    )
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    running = run.is_running
    if request.headers.get("HX-Request") and not running:
        response = HttpResponse(status=200)
        response["HX-Refresh"] = "true"
        return response
    done, total = services.progress_of(run)
    errors = Paginator(run.errors, ERRORS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "run": run,
        "running": running,
        "done": done,
        "total": total,
        "percent": done * 100 // total if total else 0,
        "errors": run.errors,
        "error_page": errors,
        "error_count": (run.result or {}).get("errors", len(run.errors)),
        "query": query.urlencode(),
        "upload_url": page.upload_url,
        **page.run_context(request, run),
    }
    return render(request, page.run_template, context)
