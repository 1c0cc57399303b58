"""The evaluation report page (and its downloads) and the page setting its money figures."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from safehold import audit
from safehold.audit.choices import Action, Channel
from safehold.cases.services.referrals import default_programme
from safehold.reports import formats, selectors, services
from safehold.reports.forms import PARTNERSHIP, EvaluationForm, EvaluationSettingsForm
from safehold.reports.rules import can_view_reports
from safehold.sharing.middleware import unrestricted

DOWNLOADS = ("pdf", "csv", "xlsx", "json")


def build_report(user, *, programme, **figures):
    """The report for a reader: the cases they may see, the period's settings unless the
    figures are given."""
    return selectors.evaluation_with_settings(
        selectors.report_cases_for(user, programme), programme=programme, **figures
    )


def build_described_report(user, *, programme, partnership: bool = False, **figures):
    """The report and what it covers (`selectors.Coverage`): the reader's own report, or the
    partnership's figures over every case of the programme where the reader may see them
    (the caller checks `may_see_partnership_figures`), counted without row-level restriction
    and shown as counts only. The third value: whether its small numbers are suppressed."""
    if partnership:
        with unrestricted():
            report = selectors.evaluation_with_settings(
                selectors.partnership_cases(programme), programme=programme, **figures
            )
        suppress = user.agency_id != programme.lead_agency_id
    else:
        report, suppress = build_report(user, programme=programme, **figures), False
    covered = selectors.coverage(
        user, programme=programme, covered=report.cases_received, partnership=partnership,
        date_from=figures["date_from"], date_to=figures["date_to"],
    )  # fmt: skip
    return report, covered, suppress


def evaluation(request: HttpRequest) -> HttpResponse:
    """Choose a period; see the report; download it as PDF, CSV, XLSX or JSON."""
    if not can_view_reports(request.user):
        raise PermissionDenied
    bound = "date_from_year" in request.GET
    programme = default_programme()
    data = request.GET.copy()
    if bound and not data.get("programme") and programme is not None:
        data["programme"] = str(programme.pk)  # one programme: no need to choose it
    form = EvaluationForm(
        data if bound else None,
        initial={"programme": programme.pk if programme else None},
        partnership=selectors.may_see_partnership_figures(request.user, programme),
    )
    report = None
    if bound and form.is_valid():
        data = dict(form.cleaned_data)
        programme = data["programme"]
        data.pop("scope", None)
        partnership = request.GET.get("scope") == PARTNERSHIP
        if partnership and not selectors.may_see_partnership_figures(request.user, programme):
            raise PermissionDenied
        report, covered, suppress = build_described_report(
            request.user, partnership=partnership, **data
        )
        fmt = request.GET.get("format", "")
        purpose = f"evaluation report {data['date_from']} to {data['date_to']}"
        if partnership:
            purpose += " (the partnership's figures)"
        if fmt in DOWNLOADS:
            audit.record(
                action=Action.CONSULT, actor=request.user, target=programme,
                purpose=f"{purpose} ({fmt})", channel=Channel.EXPORT,
            )  # fmt: skip
            response = HttpResponse(
                formats.render(
                    report,
                    fmt,
                    programme_name=programme.name,
                    coverage=covered,
                    suppress=suppress,
                ),
                content_type=formats.CONTENT_TYPES[fmt],
            )
            name = f"evaluation-{data['date_from']}-{data['date_to']}.{fmt}"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        audit.record(action=Action.CONSULT, actor=request.user, target=programme, purpose=purpose)
    context = {
        "form": form,
        "report": report,
        "can_set_figures": selectors.programmes_configurable_by(request.user).exists(),
    }
    if report is not None:
        context |= formats.document_context(
            report, programme_name=programme.name, coverage=covered, suppress=suppress
        ) | {"suppress": suppress, "partnership_allowed": "scope" in form.fields}
        context["downloads"] = [
            (fmt.upper(), f"?{_without_format(request.GET)}&format={fmt}") for fmt in DOWNLOADS
        ]
    return render(request, "reports/evaluation.html", context, status=400 if form.errors else 200)


def _without_format(params) -> str:
    params = params.copy()
    params.pop("format", None)
    return params.urlencode()


def evaluation_settings(request: HttpRequest) -> HttpResponse:
    """The average void cost and service cost of each period, for the lead agency's IG officers,
    administrators and supervisors."""
    programmes = selectors.programmes_configurable_by(request.user)
    if not programmes.exists():
        raise PermissionDenied
    form = EvaluationSettingsForm(request.POST or None, programmes=programmes)
    if request.method == "POST" and form.is_valid():
        services.set_evaluation_settings(by=request.user, **form.cleaned_data)
        messages.success(request, "The evaluation settings have been saved")
        return redirect("reports:evaluation-settings")
    return render(
        request,
        "reports/settings.html",
        {"form": form, "settings": selectors.settings_visible_to(request.user)},
        status=400 if form.errors else 200,
    )
