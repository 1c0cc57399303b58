"""The fairness report's page and CSV (issue 17, item 6), for IG officers and analysts: counts
by group over the current run, never a record."""

import io

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from safehold import audit
from safehold.audit.choices import Action
from safehold.core.exports import csv_writer
from safehold.linkage import selectors
from safehold.linkage.fairness import MIN_GROUP, fairness_report
from safehold.linkage.rules import can_review

CSV_HEADER = (
    "table", "group", "records", "linked to another record", "linked %", "pairs offered for review",
    "decided the same", "decided not the same", "not sure", "not the same % of decided",
)  # fmt: skip


@require_http_methods(["GET"])
def fairness(request: HttpRequest) -> HttpResponse:
    if not can_review(request.user):
        raise PermissionDenied
    run = selectors.current_run()
    report = fairness_report(run) if run else None
    if run:
        audit.record(
            action=Action.CONSULT,
            actor=request.user,
            target=run,
            object_ids=[source["extract"] for source in run.sources],
            purpose="linkage fairness report (counts by group)",
        )
    if report and request.GET.get("format") == "csv":
        return _csv(report)
    tables = [t for t in (report.by_surname, report.by_ethnicity) if t] if report else []
    return render(
        request,
        "linkage/fairness.html",
        {"run": run, "report": report, "tables": tables, "min_group": MIN_GROUP},
    )


def _csv(report) -> HttpResponse:
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(CSV_HEADER)
    for table in (report.by_surname, report.by_ethnicity):
        if table is None:
            continue
        for row in [*table.rows, table.everyone]:
            shown = row.shown or row is table.everyone
            writer.writerow(
                [
                    table.title,
                    row.group,
                    row.records if shown else f"fewer than {MIN_GROUP}",
                    row.linked if shown else "",
                    f"{row.linked_rate:.1f}" if shown and row.linked_rate is not None else "",
                    row.offered if shown else "",
                    row.same if shown else "",
                    row.different if shown else "",
                    row.unsure if shown else "",
                    f"{row.rejected_rate:.1f}" if shown and row.rejected_rate is not None else "",
                ]
            )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="linkage-fairness.csv"'
    return response
