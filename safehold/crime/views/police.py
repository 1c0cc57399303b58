"""The police.uk dashboard (`/crime/`) and its printable view, and what the police.uk pages
share: who may see them, the store's connection, binding the filters, the sub navigation and
links between the pages.

Every page takes GET filters (no JavaScript needed), draws each chart beside a table of the same
numbers, records one consult event, and links each section to its analysis page, whose CSV and
JSON downloads (audited as exports) are the command line's and the API's. The pages read the
analytics store (DuckDB over Parquet); the ORM only serves the session, the user and the audit
log, so their query count does not depend on the data.
"""

import contextlib
import datetime
from collections.abc import Iterator
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from safehold import audit
from safehold.audit.choices import Action, Channel
from safehold.crime import queries
from safehold.crime.dashboard import sections
from safehold.crime.dashboard.filters import Filters, Loaded, loaded
from safehold.crime.dashboard.report import ward_lsoa_boundaries
from safehold.crime.forms import FILTER_KEYS, PoliceFilterForm
from safehold.crime.police_hotspots import BOROUGH_CODE, LOCATION_NOTE
from safehold.crime.rules import can_import_crime_data, can_view_crime_analytics

# The analysis pages, in the order of their sub navigation: (name, title).
ANALYSIS_PAGES = (
    ("summary", "Counts"),
    ("trend", "Trend"),
    ("compare", "Comparison"),
    ("top", "Top areas"),
    ("seasonal", "Seasonal profile"),
    ("repeats", "Repeat locations"),
    ("hotspots", "Hot spots"),
)


def may_view(user) -> None:
    if not can_view_crime_analytics(user):
        raise PermissionDenied


@contextlib.contextmanager
def store() -> Iterator:
    """A DuckDB connection over the analytics store, closed after use."""
    con = queries.connect()
    try:
        yield con
    finally:
        con.close()


def bound(request: HttpRequest, form_class) -> object:
    """The query string when it holds any of the form's filters, else None (an unbound form
    shows the defaults)."""
    keys = (*FILTER_KEYS, *form_class.extra_keys)
    return request.GET if any(key in request.GET for key in keys) else None


def link(name: str, pairs, **kwargs) -> str:
    """A URL with a query string of (key, value) pairs (lists repeat their key)."""
    query = urlencode([(k, v) for k, v in pairs if v not in (None, "")])
    return reverse(name, kwargs=kwargs or None) + (f"?{query}" if query else "")


def analysis_nav(current: str, f: Filters | None) -> list[dict]:
    """The sub navigation of the police.uk pages, carrying the filters from page to page."""
    pairs = [(k, v) for k, v in f.query() if k != "measure"] if f else []
    items = [{"href": link("crime:dashboard", f.query() if f else []), "text": "Dashboard",
              "current": current == "dashboard"}]  # fmt: skip
    items += [
        {"href": link(f"crime:police-{name}", pairs), "text": title, "current": current == name}
        for name, title in ANALYSIS_PAGES
    ]
    items.append(
        {
            "href": reverse("crime:before-after"),
            "text": "Before and after",
            "current": current == "before-after",
        }
    )
    items.append(
        {
            "href": reverse("crime:police-data"),
            "text": "What is loaded",
            "current": current == "data",
        }
    )
    return items


def downloads(name: str, pairs) -> list[tuple[str, str]]:
    """The CSV and JSON (GeoJSON for hot spots) downloads of an analysis page."""
    files = [("CSV", "csv"), ("GeoJSON" if name == "hotspots" else "JSON",
              "geojson" if name == "hotspots" else "json")]  # fmt: skip
    if name == "summary":
        files.insert(1, ("XLSX", "xlsx"))
    return [
        (label, link(f"crime:police-{name}", [*pairs, ("format", fmt)])) for label, fmt in files
    ]


def upload_url() -> str | None:
    """The police.uk upload page, once there is one (it is built beside these pages)."""
    try:
        return reverse("crime:police-upload")
    except NoReverseMatch:
        return None


def nothing_loaded(request: HttpRequest, title: str, nav: list[dict]) -> HttpResponse:
    """What every police.uk page says when no police.uk data has been imported."""
    return render(
        request,
        "crime/police_empty.html",
        {
            "title": title,
            "nav": nav,
            "can_import": can_import_crime_data(request.user),
            "upload_url": upload_url(),
        },
    )


def _section_links(f: Filters) -> dict[str, list[tuple[str, str]]]:
    """Each dashboard section's downloads: its analysis page's files for the same filters."""
    base = [(k, v) for k, v in f.query() if k != "measure"]
    borough = [(k, v) for k, v in base if k != "area"] + [("area", BOROUGH_CODE)]
    return {
        "wards": downloads("summary", [*borough, ("group_by", "ward")]),
        "hotspots": downloads("hotspots", base),
        "trend": downloads("trend", base),
        "types": downloads("summary", [*base, ("group_by", "crime_type")]),
        "compare": downloads("compare", base),
        "top_wards": downloads("top", [*f.query(), ("level", "ward")]),
        "top_lsoas": downloads("top", [*f.query(), ("level", "lsoa")]),
        "seasonal": downloads("seasonal", base),
        "repeats": downloads("repeats", base),
    }


def _top_tables(con, f: Filters, area: queries.Area) -> list[tuple]:
    links = _section_links(f)
    tables = [
        (sections.top_section(con, f, level="lsoa"), "lsoa", "The top LSOAs", links["top_lsoas"])
    ]
    if area.level != "ward":
        wards = sections.top_section(con, f, level="ward")
        tables.insert(0, (wards, "ward", "The top wards", links["top_wards"]))
    return tables


def _hotspots(con, f: Filters, area: queries.Area) -> sections.HotspotSection:
    """The hot spots over the borough's wards, or a ward's over its LSOAs."""
    if area.level == "ward":
        boundaries = ward_lsoa_boundaries(con, area.code)
        return sections.hotspot_section(con, f, boundaries=boundaries, boundary_name="LSOA")
    return sections.hotspot_section(con, f)


def dashboard_context(con, f: Filters, area: queries.Area) -> dict:
    """Every section of the dashboard for the filters."""
    trend = sections.trend_section(con, f, area)
    return {
        "filters": f,
        "area": area,
        "headline": trend.headline,
        "trend": trend,
        "wards": sections.ward_section(con, f),
        "hotspots": _hotspots(con, f, area),
        "types": sections.types_section(con, f),
        "compare": sections.compare_section(con, f),
        "top_tables": _top_tables(con, f, area),
        "top_compact": True,
        "seasonal": sections.seasonal_section(con, f),
        "repeats": sections.repeats_section(con, f),
        "location_note": LOCATION_NOTE,
        "section_links": _section_links(f),
    }


def _consult(request, f: Filters, area_name: str, *, printing: bool = False) -> None:
    audit.record(
        action=Action.CONSULT,
        actor=request.user,
        object_type="crime.dashboard",
        object_ids=[f.area],
        purpose=f"crime dashboard{' (print)' if printing else ''}: {f.words(area_name)}",
        channel=Channel.EXPORT if printing else Channel.WEB,
    )


def _page(request: HttpRequest, *, printing: bool) -> HttpResponse:
    may_view(request.user)
    with store() as con:
        held: Loaded = loaded(con)
        if not held.months:
            return nothing_loaded(
                request, "Crime and ASB dashboard", analysis_nav("dashboard", None)
            )
        form = PoliceFilterForm(bound(request, PoliceFilterForm), loaded=held)
        context = {"form": form, "loaded": held}
        template = "crime/police_print.html" if printing else "crime/police_dashboard.html"
        if form.is_bound and not form.is_valid():
            context["nav"] = analysis_nav("dashboard", None)
            return render(request, template, context, status=400)
        f = form.filters()
        area = queries.find_area(con, f.area)
        context |= dashboard_context(con, f, area)
    context |= {
        "nav": analysis_nav("dashboard", f),
        "area_name": held.area_name(f.area),
        "print_url": link("crime:dashboard-print", f.query()),
        "printing": printing,
        "printed_at": datetime.datetime.now(datetime.UTC) if printing else None,
    }
    _consult(request, f, context["area_name"], printing=printing)
    return render(request, template, context)


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Headline figures, the ward choropleth, hot spots, trends, types, the comparison with
    Greater Manchester and England and Wales, top areas, seasons and repeat locations."""
    return _page(request, printing=False)


@require_GET
def print_view(request: HttpRequest) -> HttpResponse:
    """The dashboard laid out for paper (maps as pictures); audited as an export."""
    return _page(request, printing=True)
