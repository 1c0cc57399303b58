"""Pages anyone may open without an account: the signs of cuckooing, the printable leaflet, and
the anonymous "report a concern" form.

Nothing here ever shows a referral: the report's confirmation page gives the person who just
reported their own reference number, once, and nothing else.
"""

import functools

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django_ratelimit.decorators import ratelimit

from safehold.cases.forms.public import ReportForm
from safehold.cases.models import Sign
from safehold.cases.services import referrals as services

# Anonymous reports per client IP address; past this a friendly page asks them to call instead.
REPORT_RATE = "5/h"
REFERENCE_KEY = "public_report_reference"


def _guidance_context(request: HttpRequest) -> dict:
    return {
        "signs": list(Sign.objects.all()),
        "report_url": request.build_absolute_uri(reverse("public:report")),
    }


@login_not_required
def signs(request: HttpRequest) -> HttpResponse:
    """What cuckooing is, the signs to look for, and what to do."""
    return render(request, "cases/public/signs.html", _guidance_context(request))


@functools.lru_cache(maxsize=8)
def _leaflet_pdf(html: str) -> bytes:
    """The leaflet as PDF. Cached by its HTML, so a public page cannot be made to burn CPU."""
    # Imported here: Pango loads only when a leaflet is printed.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # The leaflet is self-contained: no URL of any scheme is fetched while rendering it.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()


@login_not_required
def leaflet(request: HttpRequest) -> HttpResponse:
    """The printable A4 "signs to look for" leaflet, to hand out to neighbours and partners."""
    html = render_to_string("cases/public/leaflet.html", _guidance_context(request))
    response = HttpResponse(_leaflet_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="signs-of-cuckooing.pdf"'
    return response


@login_not_required
@ratelimit(key="ip", rate=REPORT_RATE, method="POST", block=False)
def report(request: HttpRequest) -> HttpResponse:
    """The anonymous referral: one page, straight into the programme's triage queue."""
    programme = services.default_programme()
    if programme is None:
        return render(request, "cases/public/not_available.html")
    if request.limited:
        return render(request, "cases/public/too_many_reports.html", status=429)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        referral = services.submit_anonymous(programme=programme, **form.referral_fields())
        # The reporter's reference, for the next page only: in their session, never the URL.
        request.session[REFERENCE_KEY] = referral.reference
        return redirect("public:report-sent")
    return render(request, "cases/public/report.html", {"form": form})


@login_not_required
def report_sent(request: HttpRequest) -> HttpResponse:
    """The thank-you, with the reporter's reference once (to quote if they call), and nothing
    of the report echoed back."""
    reference = request.session.pop(REFERENCE_KEY, "")
    return render(request, "cases/public/report_sent.html", {"reference": reference})
