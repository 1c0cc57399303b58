"""Did it work? (`/crime/before-after/?area=E05000797&date=2023-05-01`): an area's crime and
anti-social behaviour month by month before and after an intervention, with the intervention
month marked, against the same months a year before and against comparable areas named on
the page, with the method and its limits in plain words (ADR 45). `?format=csv` and
`?format=xlsx` download the same figures, audited as exports. Operations link here with their
area and date; the page names no person or place, only areas and counts of open data."""

import io

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from safehold import audit
from safehold.analytics.series import area_series_for
from safehold.audit.choices import Action, Channel
from safehold.core.exports import append_row, csv_writer
from safehold.crime import queries
from safehold.crime.dashboard.filters import loaded
from safehold.crime.forms import BeforeAfterForm
from safehold.crime.views.police import analysis_nav, link, may_view, nothing_loaded, store

TITLE = "Did it work? Crime and ASB before and after"
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MONTH_COLUMNS = (
    "month", "period", "count", "same_month_year_before", "rate_per_1000",
    "comparable_areas_count", "comparable_areas_rate_per_1000",
)  # fmt: skip
SERIES_COLUMNS = ("series", "month", "period", "count", "same_month_year_before")
AREA_COLUMNS = (
    "comparable_area", "comparable_area_name", "residents", "mean_rate_per_1000_before",
    "trend_per_month_before", "distance", "count_before", "count_after",
)  # fmt: skip


@require_GET
def before_after_page(request: HttpRequest) -> HttpResponse:
    may_view(request.user)
    nav = analysis_nav("before-after", None)
    with store() as con:
        held = loaded(con)
        if not held.months:
            return nothing_loaded(request, TITLE, nav)
        bound = request.GET if any(k in request.GET for k in BeforeAfterForm.keys) else None
        form = BeforeAfterForm(bound, crime_types=held.crime_types)
        context = {"form": form, "nav": nav, "title": TITLE, "loaded": held}
        if not form.is_bound:
            return render(request, "crime/before_after.html", context)
        if not form.is_valid():
            return render(request, "crime/before_after.html", context, status=400)
        data = form.cleaned_data
        try:
            result = queries.before_after(
                con,
                area=data["area"],
                date=data["date"],
                crime_types=data["crime_type"],
                before=data["before"] or queries.MONTHS_BEFORE,
                after=data["after"] or queries.MONTHS_AFTER,
            )
        except queries.QueryError as exc:
            form.add_error("date" if exc.field == "date" else "area", str(exc))
            return render(request, "crime/before_after.html", context, status=400)
    result_series = other_series(request.user, result)
    pairs = [
        ("area", result.area),
        ("date", result.date.isoformat()),
        ("before", len(result.months) - len([m for m in result.months if m.period == "after"])),
        ("after", len([m for m in result.months if m.period == "after"])),
        *(("crime_type", t) for t in result.crime_types),
    ]
    types = ", ".join(result.crime_types) or "all crime types and ASB"
    words = f"{result.area}, intervention {result.month}; {types}"
    fmt = request.GET.get("format")
    exported = fmt in CONTENT_TYPES
    audit.record(
        action=Action.CONSULT,
        actor=request.user,
        object_type="crime.before-after",
        object_ids=list(result.lsoas if result.level == "lsoa" else [result.area]),
        purpose=f"crime before and after{f' ({fmt})' if exported else ''}: {words}",
        channel=Channel.EXPORT if exported else None,
    )
    if exported:
        content = (
            as_xlsx(result, result_series)
            if fmt == "xlsx"
            else as_csv(result, result_series).encode()
        )
        response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
        name = f"before-after-{result.area.replace(',', '-')[:60]}-{result.month}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    context |= {
        "result": result,
        "series": result_series,
        "types": types,
        "downloads": [
            (label, link("crime:before-after", [*pairs, ("format", fmt)]))
            for label, fmt in (("CSV", "csv"), ("XLSX", "xlsx"))
        ],
        # The Counts page offers the areas of the dashboard (the borough and its wards).
        "summary_url": result.area in {code for code, _ in held.areas}
        and link(
            "crime:police-summary",
            [
                ("area", result.area),
                ("from", result.months[0].month),
                ("to", result.months[-1].month),
                ("group_by", "month"),
                *(("crime_type", t) for t in result.crime_types),
            ],
        ),
    }
    return render(request, "crime/before_after.html", context)


def other_series(user, result) -> list:
    """The other monthly series of the area this user may see (the partner incident logs,
    registered by the incidents app: safehold/analytics/series.py), for the same window."""
    first, last = queries.series_window(result)
    return [
        queries.second_series(
            result,
            key=s.key,
            label=s.label,
            about=s.about,
            monthly=s.monthly(lsoas=result.lsoas, first=first, last=last),
        )
        for s in area_series_for(user)
    ]


def _covering(series) -> list:
    """The series with data for some month of the window (the others have nothing to export)."""
    return [s for s in series if s.before_months or s.after_months]


def _series_rows(series) -> list[list]:
    return [
        [s.key, m.month, m.period, m.count, m.previous_year]
        for s in _covering(series)
        for m in s.months
    ]


def _month_rows(result) -> list[list]:
    return [
        [
            m.month,
            m.period,
            m.count,
            m.previous_year,
            _round(m.rate),
            m.comparison_count,
            _round(m.comparison_rate),
        ]
        for m in result.months
    ]


def _area_rows(result) -> list[list]:
    return [
        [
            a.code,
            a.name,
            a.population,
            _round(a.level.mean),
            _round(a.level.slope),
            _round(a.distance),
            a.count_before,
            a.count_after,
        ]
        for a in result.comparable
    ]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def as_csv(result, series=()) -> str:
    """The months, a blank line, then the comparable areas, then (if any) a blank line and the
    other series' months (docs/formats/before-after.md)."""
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\n")
    writer.writerow(MONTH_COLUMNS)
    writer.writerows(_month_rows(result))
    writer.writerow([])
    writer.writerow(AREA_COLUMNS)
    writer.writerows(_area_rows(result))
    if _covering(series):
        writer.writerow([])
        writer.writerow(SERIES_COLUMNS)
        writer.writerows(_series_rows(series))
    return out.getvalue()


def as_xlsx(result, series=()) -> bytes:
    """A workbook: the months, the comparable areas, the change figures, and (if any) the
    other series' months."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for title, columns, rows in (
        ("Months", MONTH_COLUMNS, _month_rows(result)),
        ("Comparable areas", AREA_COLUMNS, _area_rows(result)),
        *((("Other series", SERIES_COLUMNS, _series_rows(series)),) if _covering(series) else ()),
    ):
        sheet = book.create_sheet(title)
        append_row(sheet, columns)
        for row in rows:
            append_row(sheet, row)
    sheet = book.create_sheet("Change")
    append_row(sheet, ("figure", "value"))
    c, y = result.comparison, result.year_on_year
    for name, value in (
        ("area", result.area),
        ("area_name", result.name),
        ("intervention_month", result.month),
        ("crime_types", ", ".join(result.crime_types) or "all"),
        ("count_before", result.count_before),
        ("count_after", result.count_after),
        ("mean_a_month_before", _round(result.before_and_after.before)),
        ("mean_a_month_after", _round(result.before_and_after.after)),
        ("year_before_same_months", y.before),
        ("after_months_with_year_before", y.after),
        ("change_on_year_before_percent", _round(y.change_percent)),
        ("difference_in_differences_rate_per_1000", _round(c and c.difference_in_differences)),
        ("against_comparable_areas_percent", _round(c and c.against_expected_percent)),
    ):
        append_row(sheet, (name, value))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
