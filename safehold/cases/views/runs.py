"""The page of one import run, shared by every upload page (historic cases, incident logs).

While the run is running the page polls itself with htmx every two seconds and swaps in the
new progress (without JavaScript a <noscript> refresh reloads the whole page instead); when a
poll finds the run finished it asks htmx for a full reload, so the result, the error summary
and the title are those of a freshly loaded page. Templates include
"cases/_import_progress.html" and "cases/_import_refresh.html".
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from safehold.cases.models import ImportRun
from safehold.cases.services import runs


def run_page(request: HttpRequest, run: ImportRun, template: str, context: dict) -> HttpResponse:
    running = runs.is_running(run)
    if request.headers.get("HX-Request") and not running:
        response = HttpResponse(status=200)
        response["HX-Refresh"] = "true"
        return response
    done, total = runs.progress_of(run)
    context = {
        "run": run,
        "running": running,
        "done": done,
        "total": total,
        "percent": done * 100 // total if total else 0,
        "errors": run.errors,
        **context,
    }
    return render(request, template, context)
