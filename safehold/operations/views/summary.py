"""The results summary for any period and area: a page, CSV/XLSX and a paragraph."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from safehold import audit
from safehold.audit.choices import Action, Channel
from safehold.operations import formats, rules
from safehold.operations.forms import SummaryForm
from safehold.operations.selectors import operations_counted_for
from safehold.operations.summary import default_period, summarise


def summary_page(request: HttpRequest) -> HttpResponse:
    """Totals of the operations the user's agency led or took part in (?format=csv|xlsx)."""
    if not rules.can_see_summary(request.user):
        raise PermissionDenied
    form = SummaryForm(request.GET or None)
    start, end = default_period()
    area = ""
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
        area = form.cleaned_data["area"].strip().upper()
    summary = summarise(operations_counted_for(request.user), start=start, end=end, area=area)
    fmt = request.GET.get("format", "")
    audit.record(
        action=Action.CONSULT, actor=request.user, object_type="operations.operation",
        purpose=f"operations summary{f' ({fmt})' if fmt in ('csv', 'xlsx') else ''}",
        channel=Channel.EXPORT if fmt in ("csv", "xlsx") else None,
    )  # fmt: skip
    if fmt in ("csv", "xlsx"):
        body = formats.to_csv(summary) if fmt == "csv" else formats.to_xlsx(summary)
        response = HttpResponse(body, content_type=formats.CONTENT_TYPES[fmt])
        response["Content-Disposition"] = (
            f'attachment; filename="{formats.file_name(summary, fmt)}"'
        )
        return response
    query = request.GET.copy()
    query.pop("format", None)
    context = {"form": form, "summary": summary, "query": query.urlencode()}
    return render(request, "operations/summary.html", context)
