"""The locality report of a ward (`/crime/wards/<code>/report/`): a page with the period and
crime types to choose, and the same report as an A4 PDF for the neighbourhood team
(`?format=pdf`, WeasyPrint with nothing fetched), audited as an export. A code that is not a
ward of the geography loaded is a 404."""

import datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from safehold import audit
from safehold.audit.choices import Action, Channel
from safehold.core.documents import pdf_from_html
from safehold.crime import queries
from safehold.crime.dashboard.filters import loaded
from safehold.crime.dashboard.report import ward_report
from safehold.crime.forms import WardReportForm
from safehold.crime.views.police import analysis_nav, bound, link, may_view, nothing_loaded, store


@require_GET
def report(request: HttpRequest, code: str) -> HttpResponse:
    may_view(request.user)
    with store() as con:
        try:
            ward = queries.find_area(con, code)
        except queries.QueryError:
            ward = None
        if ward is None or ward.level != "ward" or ward.code != code:
            raise Http404("No ward with this code")
        held = loaded(con)
        if not held.months:
            return nothing_loaded(request, f"{ward.name}: locality report", analysis_nav("", None))
        form = WardReportForm(bound(request, WardReportForm), loaded=held)
        context = {"form": form, "ward": ward, "loaded": held}
        if form.is_bound and not form.is_valid():
            context["nav"] = analysis_nav("", None)
            return render(request, "crime/ward_report.html", context, status=400)
        f = form.filters(area=ward.code)
        context |= ward_report(con, f, ward)
    pairs = [(k, v) for k, v in f.query() if k not in ("area", "measure")]
    words = f"{ward.name} ({ward.code}): {f.period_words()}; {f.types_words()}"
    context |= {
        "nav": analysis_nav("", f),
        "pdf_url": link("crime:ward-report", [*pairs, ("format", "pdf")], code=ward.code),
        "dashboard_url": link("crime:dashboard", f.query()),
        "created_at": datetime.datetime.now(datetime.UTC),
    }
    if request.GET.get("format") == "pdf":
        html = render_to_string(
            "crime/ward_report_document.html", context | {"printing": True, "user": request.user}
        )
        audit.record(
            action=Action.CONSULT,
            actor=request.user,
            object_type="crime.ward-report",
            object_ids=[ward.code],
            purpose=f"ward locality report (pdf): {words}",
            channel=Channel.EXPORT,
        )
        response = HttpResponse(pdf_from_html(html), content_type="application/pdf")
        name = f"locality-report-{ward.code}-{f.start}-{f.end}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    audit.record(
        action=Action.CONSULT,
        actor=request.user,
        object_type="crime.ward-report",
        object_ids=[ward.code],
        purpose=f"ward locality report: {words}",
    )
    return render(request, "crime/ward_report.html", context)
