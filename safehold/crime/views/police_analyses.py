"""One page per police.uk analysis (`/crime/analyses/<name>/`): its filters and options, its
chart beside a table of the same numbers, and downloads that are the command line's and the
API's files (safehold.crime.analyses), audited as exports. One template for every page: each
analysis has its own body (crime/_police_<name>.html), shared with the dashboard."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from safehold.audit.choices import Channel
from safehold.crime import analyses, formats, forms, queries
from safehold.crime.dashboard import sections
from safehold.crime.dashboard.filters import Filters, loaded, month_label
from safehold.crime.dashboard.report import ward_lsoa_boundaries
from safehold.crime.forms import GROUP_LABELS
from safehold.crime.police_hotspots import LOCATION_NOTE
from safehold.crime.views.police import (
    analysis_nav,
    bound,
    downloads,
    link,
    may_view,
    nothing_loaded,
    store,
)

ROWS_PER_PAGE = 50
DASH = "\u2013"
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "geojson": "application/geo+json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
COLUMN_LABELS = {
    **{k: v.split(" (")[0] for k, v in GROUP_LABELS.items()},
    "lsoa": "LSOA",
    "lsoa_name": "LSOA name",
    "ward": "Ward code",
    "ward_name": "Ward",
    "local_authority": "Local authority code",
    "local_authority_name": "Local authority",
    "count": "Crimes",
    "population": "Residents (2021)",
    "rate_per_1000": "Rate per 1,000 residents",
}


@dataclass(frozen=True)
class Page:
    """An analysis page: its form, the analyses' arguments for it, and its sections."""

    name: str
    title: str
    form: type[forms.PoliceFilterForm]
    options: Callable[[forms.PoliceFilterForm, Filters], dict]
    build: Callable  # (con, filters, options, request) -> context
    formats: tuple[str, ...] = ("csv", "json")


def _no_options(form, f) -> dict:
    return {}


def _summary_options(form, f) -> dict:
    keys = list(form.option("group_by"))
    return {"group_by": keys, "rates": bool(set(keys) & set(queries.AREA_KEYS))}


def _top_options(form, f) -> dict:
    return {"level": form.option("level"), "by": f.measure, "limit": form.option("limit")}


def _repeats_options(form, f) -> dict:
    return {"min_count": form.option("min_count"), "limit": form.option("limit")}


def _hotspot_options(form, f) -> dict:
    return {
        "cell_size": float(form.option("cell_size")),
        "radius": form.option("radius"),
        "alpha": form.option("alpha"),
        "study_area": form.option("study_area"),
    }


NUMERIC = ("count", "population", "rate_per_1000")


def _cell(column: str, value) -> str:
    if value is None:
        return DASH if column in NUMERIC else "not known"
    if column == "rate_per_1000":
        return f"{value:,.2f}"
    if column in NUMERIC:
        return f"{value:,}"
    if column == "month":
        return month_label(value)
    return str(value)


def _summary(con, f, options, request) -> dict:
    result = analyses.analyse(con, "summary", f.request(**options))
    table = result.rows
    page = Paginator(table.rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return {
        "summary": table,
        "summary_columns": [(c, COLUMN_LABELS.get(c, c), c in NUMERIC) for c in table.columns],
        "summary_rows": [
            [(_cell(c, v), c in NUMERIC) for c, v in zip(table.columns, row, strict=True)]
            for row in page.object_list
        ],
        "summary_page": page,
        "summary_query": params.urlencode(),
        "summary_rates": options["rates"],
        "rows_per_page": ROWS_PER_PAGE,
        "group_words": " and ".join(
            GROUP_LABELS[k].split(" (")[0].lower() for k in options["group_by"]
        ),
    }


def _trend(con, f, options, request) -> dict:
    area = queries.find_area(con, f.area)
    trend = sections.trend_section(con, f, area)
    return {"trend": trend, "headline": trend.headline}


def _compare(con, f, options, request) -> dict:
    return {"compare": sections.compare_section(con, f)}


def _top(con, f, options, request) -> dict:
    level = options["level"]
    rows = sections.top_section(con, f, level=level, limit=options["limit"])
    title = "The top wards" if level == "ward" else "The top LSOAs"
    return {"top_tables": [(rows, level, title, None)]}


def _seasonal(con, f, options, request) -> dict:
    return {"seasonal": sections.seasonal_section(con, f)}


def _repeats(con, f, options, request) -> dict:
    return {
        "repeats": sections.repeats_section(
            con, f, min_count=options["min_count"], limit=options["limit"]
        )
    }


def _hotspots(con, f, options, request) -> dict:
    area = queries.find_area(con, f.area)
    drawn = {}
    if area.level == "ward":  # drawn over the ward's LSOAs, as on the dashboard
        drawn = {"boundaries": ward_lsoa_boundaries(con, area.code), "boundary_name": "LSOA"}
    return {
        "hotspots": sections.hotspot_section(con, f, **options, **drawn),
        "location_note": LOCATION_NOTE,
    }


PAGES = {
    p.name: p
    for p in (
        Page("summary", "Counts", forms.SummaryForm, _summary_options, _summary,
             ("csv", "xlsx", "json")),
        Page("trend", "Trend", forms.AllMonthsForm, _no_options, _trend),
        Page("compare", "Comparison", forms.CompareForm, _no_options, _compare),
        Page("top", "Top areas", forms.TopForm, _top_options, _top),
        Page("seasonal", "Seasonal profile", forms.AllMonthsForm, _no_options, _seasonal),
        Page("repeats", "Repeat locations", forms.RepeatsForm, _repeats_options, _repeats),
        Page("hotspots", "Hot spots", forms.HotspotForm, _hotspot_options, _hotspots,
             ("csv", "geojson")),
    )
}  # fmt: skip


def _file(request, name: str, result: analyses.Result, fmt: str) -> HttpResponse:
    if fmt == "xlsx":
        content = formats.as_xlsx(name, result.request.filters(name), result.rows)
    else:
        content = result.render(fmt)
    analyses.record_consultation(actor=request.user, result=result, fmt=fmt, channel=Channel.EXPORT)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    r = result.request
    period = "-".join(m for m in (r.start, r.end) if m)
    response["Content-Disposition"] = (
        f'attachment; filename="crime-{name}{f"-{period}" if period else ""}.{fmt}"'
    )
    return response


def analysis_page(request: HttpRequest, name: str) -> HttpResponse:
    page = PAGES[name]
    may_view(request.user)
    with store() as con:
        held = loaded(con)
        if not held.months:
            return nothing_loaded(request, page.title, analysis_nav(name, None))
        form = page.form(bound(request, page.form), loaded=held)
        context = {"form": form, "page": page, "loaded": held, "title": page.title}
        if form.is_bound and not form.is_valid():
            context["nav"] = analysis_nav(name, None)
            return render(request, "crime/police_analysis.html", context, status=400)
        f = form.filters()
        area = queries.find_area(con, f.area)
        options = page.options(form, f)
        fmt = request.GET.get("format", "")
        try:
            if fmt in page.formats:
                result = analyses.analyse(con, name, f.request(**options))
                return _file(request, name, result, fmt)
            context |= page.build(con, f, options, request)
        except queries.QueryError as exc:
            form.add_error(None, str(exc))
            context["nav"] = analysis_nav(name, None)
            return render(request, "crime/police_analysis.html", context, status=400)
    pairs = [(k, v) for k, v in f.query() if form.uses_measure or k != "measure"]
    pairs += [
        (key, value)
        for key in page.form.extra_keys
        for value in (request.GET.getlist(key) if key in request.GET else [])
    ]
    context |= {
        "filters": f,
        "area": area,
        "area_name": held.area_name(f.area),
        "nav": analysis_nav(name, f),
        "downloads": downloads(name, pairs),
        "dashboard_url": link("crime:dashboard", f.query()),
        "body": f"crime/_police_{name}.html",
    }
    analyses.record_consultation(
        actor=request.user,
        result=analyses.Result(name, f.request(**options), None, {}),
        fmt="page",
        channel=Channel.WEB,
    )
    return render(request, "crime/police_analysis.html", context)


def _view(name: str):
    @require_GET
    def view(request: HttpRequest) -> HttpResponse:
        return analysis_page(request, name)

    view.__name__ = f"{name}_page"
    view.__doc__ = f"The {PAGES[name].title.lower()} page of police.uk crime."
    return view


summary_page = _view("summary")
trend_page = _view("trend")
compare_page = _view("compare")
top_page = _view("top")
seasonal_page = _view("seasonal")
repeats_page = _view("repeats")
hotspots_page = _view("hotspots")
