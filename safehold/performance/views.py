"""The performance pages: the board report (with its downloads and printable view), the
indicators, their values and the history of each value, theme narratives and CSV imports.

Readers are the roles that see reports; everyone else gets 403, as on the evaluation report.
Defining, entering and writing is for analysts and administrators (rules.py).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode

from safehold import audit
from safehold.audit.choices import Action, Channel
from safehold.core import dates
from safehold.core.locking import EditConflict, opened
from safehold.imports import views as runs
from safehold.imports.registry import UploadPage
from safehold.performance import (
    computed,
    disclosure,
    display,
    formats,
    selectors,
    services,
)
from safehold.performance.choices import Area, Frequency
from safehold.performance.forms import (
    ImportForm,
    IndicatorForm,
    NarrativeForm,
    PeriodForm,
    ValueForm,
)
from safehold.performance.imports import uploads
from safehold.performance.models import Indicator, IndicatorValue, Narrative
from safehold.performance.periods import PeriodError, latest_ending_by, parse, parse_for
from safehold.performance.report import (
    available_periods,
    board_report,
    computed_periods,
    latest_period,
)
from safehold.performance.rules import can_manage_performance, can_view_performance

DOWNLOADS = ("pdf", "csv", "xlsx", "json")


def _readers_only(request: HttpRequest) -> None:
    if not can_view_performance(request.user):
        raise PermissionDenied


def _keepers_only(request: HttpRequest) -> None:
    if not can_manage_performance(request.user):
        raise PermissionDenied


def board(request: HttpRequest) -> HttpResponse:
    """Choose a period; read the board report; download it or print it."""
    _readers_only(request)
    periods = available_periods()
    if not periods:
        # Nothing held yet: the computed indicators may already have figures for the last
        # quarters (their history is filled by `safehold kpi refresh`).
        computed.refresh(
            periods=computed_periods(latest_ending_by(Frequency.QUARTERLY, dates.today()))
        )
        periods = available_periods()
    form = PeriodForm(request.GET if "period" in request.GET else None, periods=periods)
    period = None
    if form.is_bound and form.is_valid():
        period = form.cleaned_data["period"]
    elif not form.is_bound and periods:
        period = periods[0]
        form = PeriodForm(initial={"period": period.label}, periods=periods)
    context = {"form": form, "periods": periods, "report": None}
    context["can_manage"] = bool(can_manage_performance(request.user))
    if period is not None:
        fmt = request.GET.get("format", "")
        shown = fmt not in DOWNLOADS or fmt in formats.WITH_PARTS  # the page, print and PDF
        report = board_report(period, viewer=request.user, with_parts=shown)
        if fmt in (*DOWNLOADS, "print"):
            audit.record(
                action=Action.CONSULT, actor=request.user, object_type="performance.indicator",
                purpose=f"board report {period} ({fmt})", channel=Channel.EXPORT,
            )  # fmt: skip
            content = formats.render(
                report, "html" if fmt == "print" else fmt, partnership=formats.partnership_name()
            )
            response = HttpResponse(
                content, content_type=formats.CONTENT_TYPES["html" if fmt == "print" else fmt]
            )
            if fmt != "print":
                name = f"board-report-{period.label.replace('/', '-').replace(' ', '-')}.{fmt}"
                response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        audit.record(
            action=Action.CONSULT, actor=request.user, object_type="performance.indicator",
            purpose=f"board report {period}",
        )  # fmt: skip
        query = urlencode({"period": period.label})
        context |= formats.document_context(report)
        context["downloads"] = [(f.upper(), f"?{query}&format={f}") for f in DOWNLOADS]
        context["printable"] = f"?{query}&format=print"
    return render(request, "performance/board.html", context, status=400 if form.errors else 200)


def indicator_list(request: HttpRequest) -> HttpResponse:
    """Every indicator by theme, with its latest value."""
    _readers_only(request)
    indicators = list(selectors.indicators_with_latest_value(request.user))
    exact = disclosure.sees_exact_figures(request.user)
    themes: dict = {}
    for indicator in indicators:
        small = disclosure.is_small(
            indicator, area=Area.BOROUGH, value=indicator.latest_value,
            count=indicator.latest_count,
        )  # fmt: skip
        if not indicator.latest_period:
            indicator.latest_text = "none yet"
        elif small and not exact:
            indicator.latest_text = disclosure.SUPPRESSED
        else:
            indicator.latest_text = display.figure(
                indicator.latest_value, indicator.latest_count, indicator.unit,
                indicator.decimal_places,
            )  # fmt: skip
        themes.setdefault(indicator.theme.name, []).append(indicator)
    return render(
        request,
        "performance/indicator_list.html",
        {
            "themes": themes,
            "can_manage": can_manage_performance(request.user),
            "coverage": disclosure.coverage_note(request.user)
            if any(i.computed for i in indicators)
            else "",
        },
    )


def _indicator(request: HttpRequest, pk) -> Indicator:
    return get_object_or_404(selectors.indicators_visible_to(request.user), pk=pk)


def _text(indicator: Indicator, held: IndicatorValue, figure, *, exact: bool) -> str:
    """A value (or an earlier version of it) as shown to this user: small casework counts
    suppressed for agencies that may not see them (`disclosure`)."""
    small = disclosure.is_small(indicator, area=held.area, value=figure.value, count=figure.count)
    if small and not exact:
        return disclosure.SUPPRESSED
    return display.figure(figure.value, figure.count, indicator.unit, indicator.decimal_places)


def indicator_detail(request: HttpRequest, pk) -> HttpResponse:
    """An indicator's definition and every value held, with who entered it."""
    _readers_only(request)
    indicator = _indicator(request, pk)
    values = list(
        selectors.values_visible_to(request.user)
        .filter(indicator=indicator)
        .order_by("area", "-period_start")
    )
    exact = disclosure.sees_exact_figures(request.user)
    for value in values:
        value.text = _text(indicator, value, value, exact=exact)
    return render(
        request,
        "performance/indicator_detail.html",
        {
            "indicator": indicator,
            "values": values,
            "can_manage": can_manage_performance(request.user),
            "has_breaks": any(v.break_in_series for v in values),
            "coverage": disclosure.coverage_note(request.user) if indicator.computed else "",
        },
    )


def indicator_add(request: HttpRequest) -> HttpResponse:
    _readers_only(request)
    _keepers_only(request)
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        indicator, _ = services.save_indicator(
            code=form.cleaned_data["code"], by=request.user, **form.definition()
        )
        messages.success(request, f"Indicator {indicator.code} has been added")
        return redirect("performance:indicator", pk=indicator.pk)
    return render(
        request,
        "performance/indicator_form.html",
        {"form": form, "indicator": None},
        status=400 if form.errors else 200,
    )


def indicator_change(request: HttpRequest, pk) -> HttpResponse:
    _readers_only(request)
    _keepers_only(request)
    indicator = _indicator(request, pk)
    form = IndicatorForm(
        request.POST or None, indicator=indicator, initial=IndicatorForm.initial_for(indicator)
    )
    if request.method == "POST" and form.is_valid():
        try:
            _, changed = services.save_indicator(
                code=indicator.code, by=request.user, **form.definition()
            )
        except services.PerformanceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"Indicator {indicator.code} {'has been changed' if changed else 'is unchanged'}",
            )
            return redirect("performance:indicator", pk=indicator.pk)
    return render(
        request,
        "performance/indicator_form.html",
        {"form": form, "indicator": indicator},
        status=400 if form.errors else 200,
    )


def value_add(request: HttpRequest, pk) -> HttpResponse:
    """Enter (or correct) a value of an indicator for a period."""
    _readers_only(request)
    _keepers_only(request)
    indicator = _indicator(request, pk)
    initial = {}
    if request.method == "GET" and "period" in request.GET:
        initial = _initial_value(indicator, request.GET.get("period", ""), request.GET.get("area"))
    form = ValueForm(request.POST or None, indicator=indicator, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            value, changed = services.enter_value(
                indicator=indicator, period=data["period"], area=data["area"],
                figure=form.figure(), by=request.user, version=form.based_on(),
            )  # fmt: skip
        except EditConflict as exc:
            # Someone else entered or changed this value since the page was opened: theirs is
            # kept and shown, and saving again puts this figure over it.
            facts = _value_facts(exc.current)
            form.show_conflict(exc, facts, opened(exc.current, facts))
            form.data["opened_for"] = form.target()
            status = 409
        except services.PerformanceError as exc:
            form.add_error(None, str(exc))
        else:
            where = f"{indicator.code} {data['period']}"
            messages.success(
                request, f"The value of {where} {'has been saved' if changed else 'is unchanged'}"
            )
            return redirect("performance:value", pk=value.pk)
    return render(
        request,
        "performance/value_form.html",
        {"form": form, "indicator": indicator},
        status=400 if form.errors and status == 200 else status,
    )


def _value_facts(value: IndicatorValue) -> dict[str, tuple[str, str]]:
    """What the value form shows of a held value (ADR 0061), by field: label, value as typed."""
    return {
        "value": ("Value", display.exact(value.value, value.indicator.decimal_places) or ""),
        "count": ("Count", "" if value.count is None else str(value.count)),
        "break_in_series": ("Break in series", "Yes" if value.break_in_series else "No"),
        "note": ("Note", value.note),
    }


def _initial_value(indicator: Indicator, period_text: str, area: str | None) -> dict:
    """The form filled in with the value already held, to correct it, and the value's version
    (none when no value is held yet)."""
    try:
        period = parse_for(period_text, indicator.frequency)
    except PeriodError:
        return {}
    area = area if area in Area.values else Area.BOROUGH
    held = IndicatorValue.objects.filter(indicator=indicator, area=area, period=period.label)
    value = held.select_related("indicator").first()
    opened_for = f"{period.label}|{area}"
    if value is None:
        return {"period": period.label, "area": area, "opened_for": opened_for}
    return {
        "period": period.label,
        "area": area,
        "value": display.exact(value.value, indicator.decimal_places) or "",
        "count": "" if value.count is None else value.count,
        "break_in_series": value.break_in_series,
        "note": value.note,
        "opened_for": opened_for,
        **opened(value, _value_facts(value)),
    }


def value_detail(request: HttpRequest, pk) -> HttpResponse:
    """One value and the history of its changes: who entered what, when and how."""
    _readers_only(request)
    value = get_object_or_404(selectors.values_visible_to(request.user), pk=pk)
    indicator = value.indicator
    changes = list(value.changes.select_related("changed_by__agency").order_by("-created_at"))
    exact = disclosure.sees_exact_figures(request.user)
    for change in changes:
        change.text = _text(indicator, value, change, exact=exact)
    value.text = _text(indicator, value, value, exact=exact)
    change_url = (
        reverse("performance:value-add", args=[indicator.pk])
        + "?"
        + urlencode({"period": value.period, "area": value.area})
    )
    return render(
        request,
        "performance/value_detail.html",
        {
            "value": value,
            "indicator": indicator,
            "changes": changes,
            "can_change": can_manage_performance(request.user)
            and not (indicator.computed and value.area == Area.BOROUGH),
            "change_url": change_url,
        },
    )


def narrative(request: HttpRequest, pk) -> HttpResponse:
    """Write a theme's narrative for a period (`?period=2016/17`)."""
    _readers_only(request)
    _keepers_only(request)
    theme = get_object_or_404(selectors.themes_visible_to(request.user), pk=pk)
    try:
        period = parse(request.GET.get("period", ""))
    except PeriodError:
        # No period named: the latest one any value is held for, else the last financial year.
        period = latest_period() or latest_ending_by(Frequency.ANNUAL, dates.today())
    held = Narrative.objects.filter(theme=theme, period=period.label).first()
    form = NarrativeForm(request.POST or None, initial={"text": held.text if held else ""})
    if request.method == "POST" and form.is_valid():
        services.write_narrative(
            theme=theme, period=period, text=form.cleaned_data["text"], by=request.user
        )
        messages.success(request, f"The narrative for {theme.name}, {period}, has been saved")
        return redirect(reverse("performance:report") + "?" + urlencode({"period": period.label}))
    return render(
        request,
        "performance/narrative_form.html",
        {"form": form, "theme": theme, "period": period, "narrative": held},
        status=400 if form.errors else 200,
    )


def _import_context(request: HttpRequest) -> dict:
    _readers_only(request)
    _keepers_only(request)
    return {}


# The shared upload and run pages (safehold.imports): the file is checked at once, so its
# problems are listed on this page; a good file is imported by a worker, on the run's page.
IMPORT_PAGE = UploadPage(
    form_class=ImportForm,
    template="performance/import.html",
    run_template="performance/import_run.html",
    upload_url="performance:import",
    run_url="performance:import-run",
    context=_import_context,
    params=lambda form, context: {"contents": form.cleaned_data["kind"]},
    details=lambda form: {"contents": form.cleaned_data["kind"]},
    precheck=uploads.precheck,
)


def import_file(request: HttpRequest) -> HttpResponse:
    """Upload an indicators or values file: checked whole, imported whole or not at all."""
    return runs.upload(request, kind=uploads.KIND)


def import_run(request: HttpRequest, pk) -> HttpResponse:
    """One import: its progress, then what it imported or its problems."""
    return runs.run_detail(request, pk, kind=uploads.KIND)


urlpatterns = [
    path("", board, name="report"),
    path("indicators/", indicator_list, name="indicators"),
    path("indicators/add/", indicator_add, name="indicator-add"),
    path("indicators/<uuid:pk>/", indicator_detail, name="indicator"),
    path("indicators/<uuid:pk>/change/", indicator_change, name="indicator-change"),
    path("indicators/<uuid:pk>/values/add/", value_add, name="value-add"),
    path("values/<uuid:pk>/", value_detail, name="value"),
    path("themes/<uuid:pk>/narrative/", narrative, name="narrative"),
    path("import/", import_file, name="import"),
    path("import/<uuid:pk>/", import_run, name="import-run"),
]
