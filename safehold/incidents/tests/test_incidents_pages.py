"""The incident log pages: who may see them, the filters, the numbers of the analyses in their
tables and charts, the downloads, the printable view, what they audit and their query count."""

import csv
import datetime
import io
import json
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.audit.models import AuditEvent
from safehold.charts.maps import stockport_bounds_bng
from safehold.incidents import formats
from safehold.incidents.selectors import Filters, connect, heatmap, hotspots, seasonal
from safehold.incidents.tests.pages import cluster_rows, number, spread_rows, store, table

pytestmark = pytest.mark.django_db

PAGES = [
    "crime:incidents",
    "crime:incidents-heatmap",
    "crime:incidents-seasonal",
    "crime:incidents-hotspots",
    "crime:incidents-print",
]


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


@pytest.fixture
def analyst(db):
    return UserFactory(role=Role.ANALYST)


@pytest.fixture
def signed_in_analyst(client, analyst):
    client.force_login(analyst)
    return client


@pytest.fixture
def incidents():
    """Two sources: 300 scattered noise incidents, and 80 ASB incidents in one spot."""
    store(spread_rows(300))
    store(cluster_rows(80), source="Other Partner", prefix="C")


# --- Who may see them ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize(
    "role", [Role.ANALYST, Role.CASEWORKER, Role.SUPERVISOR, Role.IG_OFFICER, Role.ADMINISTRATOR]
)
def test_the_roles_that_see_reports_see_the_analyses(client, incidents, name, role):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", [*PAGES, "crime:incidents-upload"])
def test_referrers_may_not_see_them(client, incidents, name):
    client.force_login(UserFactory(role=Role.REFERRER))
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign-in"))


def test_the_navigation_offers_crime_and_asb_to_those_who_may_see_it(client):
    client.force_login(UserFactory(role=Role.CASEWORKER))
    page = client.get(reverse("core:home")).content.decode()
    assert f'href="{reverse("crime:dashboard")}"' in page and "Crime and ASB" in page
    client.force_login(UserFactory(role=Role.REFERRER))
    assert "Crime and ASB" not in client.get(reverse("core:home")).content.decode()


def test_only_analysts_and_administrators_are_offered_the_upload(client, incidents):
    upload = reverse("crime:incidents-upload")
    client.force_login(UserFactory(role=Role.SUPERVISOR))
    assert upload not in client.get(reverse("crime:incidents")).content.decode()
    for role in (Role.ANALYST, Role.ADMINISTRATOR):
        client.force_login(UserFactory(role=role))
        assert upload in client.get(reverse("crime:incidents")).content.decode()


# --- The overview -----------------------------------------------------------------------------


def test_the_overview_lists_the_sources_stored_and_records_a_consultation(
    signed_in_analyst, analyst, incidents
):
    page = signed_in_analyst.get(reverse("crime:incidents")).content.decode()
    rows = {row[0]: row for row in table(page, "sources")[1:]}
    assert number(rows["Example Homes"][1]) == 300
    assert number(rows["Other Partner"][1]) == 80
    assert "Anti-social behaviour (80)" in rows["Other Partner"][3]
    assert "Logs stored: 380 incidents" in page
    event = AuditEvent.objects.get(purpose="incident log overview")
    assert (event.action, event.actor, event.channel) == ("consult", analyst, "web")


def test_with_nothing_stored_the_pages_say_so(signed_in_analyst):
    for name in PAGES[:4]:
        page = signed_in_analyst.get(reverse(name)).content.decode()
        assert "No incident logs are stored yet" in page


# --- The heat map ----------------------------------------------------------------------------


def test_the_heat_map_page_has_the_numbers_of_the_analysis_in_its_table_and_chart(
    signed_in_analyst, incidents
):
    with connect() as con:
        expected = heatmap(con)
    page = signed_in_analyst.get(reverse("crime:incidents-heatmap")).content.decode()
    rows = table(page, "heatmap-table")
    assert rows[0] == ["Day", *(f"{h:02d}" for h in range(24)), "Total"]
    for day, counts, total, row in zip(
        expected.days, expected.counts, expected.day_totals, rows[1:8], strict=True
    ):
        assert row == [day, *(str(n) for n in counts), str(total)]
    assert rows[8] == ["Total", *(str(n) for n in expected.hour_totals), str(expected.total)]
    # The chart carries the same 168 numbers, day by day, each with its day and hour named.
    chart = page[page.index('<svg class="crime-chart"') : page.index("</svg>")]
    drawn = re.findall(r"<title>(\w+day), (\d\d):00 to \d\d:00: ([\d,]+) incidents?</title>", chart)
    assert [(d, int(h), number(n)) for d, h, n in drawn] == [
        (day, hour, n)
        for day, counts in zip(expected.days, expected.counts, strict=True)
        for hour, n in enumerate(counts)
    ]
    assert 'role="img"' in chart and "<desc" in chart
    # The peaks in words.
    top = expected.peak_slots[0]
    assert f"{top.day} {top.hour:02d}:00 to {top.hour + 1:02d}:00 ({top.incidents})" in page
    busiest = expected.peak_days[0]
    assert f"The busiest day is {busiest} ({max(expected.day_totals)})" in page


def test_the_filters_change_the_numbers(signed_in_analyst, incidents):
    url = reverse("crime:incidents-heatmap")
    by_type = signed_in_analyst.get(url, {"types": "Anti-social behaviour"}).content.decode()
    assert table(by_type, "heatmap-table")[8][-1] == "80"
    by_source = signed_in_analyst.get(url, {"sources": "Example Homes"}).content.decode()
    assert table(by_source, "heatmap-table")[8][-1] == "300"
    period = {
        "date_from_day": "1", "date_from_month": "2", "date_from_year": "2023",
        "date_to_day": "28", "date_to_month": "2", "date_to_year": "2023",
    }  # fmt: skip
    with connect() as con:
        expected = heatmap(
            con, date_from=datetime.date(2023, 2, 1), date_to=datetime.date(2023, 2, 28)
        ).total
    february = signed_in_analyst.get(url, period).content.decode()
    assert number(table(february, "heatmap-table")[8][-1]) == expected
    assert 0 < expected < 380
    assert "Showing: 2023-02-01 to 2023-02-28." in february


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"date_from_day": "1", "date_from_month": "3", "date_from_year": "2023",
             "date_to_day": "1", "date_to_month": "2", "date_to_year": "2023"},
            "The end date must be the same as or after the start date",
        ),
        ({"date_from_day": "1", "date_from_month": "", "date_from_year": "2023"},
         "The start date must include a month"),
        ({"types": "Shoplifting"}, "Select types of incident from the list"),
        ({"sources": "Nobody"}, "Select sources from the list"),
    ],
)  # fmt: skip
def test_bad_filters_get_a_design_system_error_and_no_analysis(
    signed_in_analyst, incidents, params, message
):
    response = signed_in_analyst.get(reverse("crime:incidents-heatmap"), params)
    page = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in page and message in page
    assert 'id="heatmap-table"' not in page
    assert not AuditEvent.objects.filter(purpose__startswith="incident heat map").exists()


# --- Seasons --------------------------------------------------------------------------------


def test_the_seasonal_page_has_the_months_and_calls_out_halloween_and_bonfire_night(
    signed_in_analyst,
):
    rows = spread_rows(400) + [
        (f"2023-10-31T{18 + i % 4}:{i:02d}", "Fireworks", (53.41, -2.16)) for i in range(9)
    ]
    rows += [(f"2023-11-05T{18 + i % 4}:{i:02d}", "Fireworks", (53.41, -2.16)) for i in range(12)]
    store(rows)
    with connect() as con:
        expected = seasonal(con)
    page = signed_in_analyst.get(reverse("crime:incidents-seasonal")).content.decode()
    months = table(page, "months-table")[1:]
    assert [(r[0], number(r[1]), number(r[2])) for r in months] == [
        (m.name, m.incidents, m.days) for m in expected.months
    ]
    chart = page[page.index('id="months-chart-title"') :]
    for m in expected.months:
        assert f">{m.incidents}</text>" in chart
    words = {d.label: d for d in expected.call_outs}
    assert words["Halloween"].ratio > 2 and words["Bonfire Night"].ratio > 2
    assert (
        f"Halloween (31 October): {words['Halloween'].incidents} incidents on the 1 day it falls "
        "in the period" in page
    )
    assert f"{words['Bonfire Night'].ratio:.1f} times an average day in November" in page
    assert "Summer (June to August):" in page
    around = {r[0]: number(r[1]) for r in table(page, "around-table")[1:]}
    assert around["31 October (Halloween)"] == words["Halloween"].incidents
    assert around["5 November (Bonfire Night)"] == words["Bonfire Night"].incidents


# --- Hot spots -------------------------------------------------------------------------------


def test_the_hot_spot_page_draws_the_cells_on_the_map_and_lists_them(signed_in_analyst, incidents):
    with connect() as con:
        analysis = hotspots(con, bounds=stockport_bounds_bng())
    cells = analysis.cells()
    assert cells, "the cluster makes hot spots"
    page = signed_in_analyst.get(reverse("crime:incidents-hotspots")).content.decode()
    rows = table(page, "hotspot-table")[1:]
    assert [(r[0], number(r[2])) for r in rows] == [
        (c.classification.capitalize(), c.count) for c in cells
    ]
    assert rows[0][1] == "Brinnington and Central"  # the ward of the busiest cell's centre
    classes = {r[0]: number(r[1]) for r in table(page, "hotspot-classes")[1:]}
    assert classes == {k.capitalize(): v for k, v in analysis.class_counts().items()}
    # The map: its data embedded for Leaflet, a picture without JavaScript, a way past it.
    data = json.loads(
        re.search(
            r'<script id="hotspot-map-data" type="application/json">(.*?)</script>', page, re.S
        ).group(1)
    )
    assert 'data-crime-map="hotspot-map-data"' in page
    assert len(data["layer"]["features"]) == len(cells)
    assert len(data["boundaries"]["features"]) == 21
    assert data["tiles"] == {"url": "", "attribution": ""}
    first = data["layer"]["features"][0]["properties"]
    assert first["label"].startswith(f"{cells[0].classification.capitalize()}: {cells[0].count}")
    picture = page[
        page.index('<svg class="crime-map__picture"') : page.index(
            "</svg>", page.index('<svg class="crime-map__picture"')
        )
    ]
    assert picture.count("<path") == 21 + len(cells)
    assert (
        '<a class="govuk-link govuk-visually-hidden-focusable crime-map__skip" href="#hotspot-table">'
        in page
    )
    assert "Hot spot 99% confidence" in page  # the key, in words
    assert "leaflet/leaflet.js" in page and "crime/map.js" in page
    # Incidents by ward: a choropleth of the wards and its table.
    wards = {r[0]: number(r[1]) for r in table(page, "ward-table")[1:]}
    assert len(wards) == 21 and sum(wards.values()) == 380  # every incident is in Stockport
    assert wards["Brinnington and Central"] >= 80  # the cluster
    ward_data = json.loads(
        re.search(
            r'<script id="ward-map-data" type="application/json">(.*?)</script>', page, re.S
        ).group(1)
    )
    assert ward_data["boundaries"]["features"] == []
    fills = {
        f["properties"]["name"]: f["properties"]["fill"] for f in ward_data["layer"]["features"]
    }
    busiest = max(wards, key=wards.get)
    assert fills[busiest] == "#08306b"  # the darkest shade
    assert all(fills[name] == "#f3f2f1" for name, n in wards.items() if n == 0)


def test_the_hot_spot_grid_can_be_changed(signed_in_analyst, incidents):
    url = reverse("crime:incidents-hotspots")
    page = signed_in_analyst.get(url, {"cell_size": "500", "radius": "2", "area": "incidents"})
    html = unescape(page.content.decode())
    assert page.status_code == 200
    assert "grid of 500 metre squares" in html and "5 by 5 square" in html
    assert "the incidents' own extent" in html
    bad = signed_in_analyst.get(url, {"cell_size": "7"})
    assert bad.status_code == 400 and "Select a cell size from the list" in bad.content.decode()


# --- Downloads, printing, audit --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("crime:incidents-heatmap", "heatmap"),
        ("crime:incidents-seasonal", "seasonal"),
        ("crime:incidents-hotspots", "hotspots"),
    ],
)
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_downloads_are_the_formats_of_the_analysis_and_audited_as_exports(
    signed_in_analyst, analyst, incidents, name, kind, fmt
):
    response = signed_in_analyst.get(reverse(name), {"sources": "Other Partner", "format": fmt})
    assert response.status_code == 200
    with connect() as con:
        if kind == "heatmap":
            expected = formats.render(kind, heatmap(con, sources=["Other Partner"]), fmt)
        elif kind == "seasonal":
            expected = formats.render(kind, seasonal(con, sources=["Other Partner"]), fmt)
        else:
            analysis = hotspots(con, sources=["Other Partner"], bounds=stockport_bounds_bng())
            expected = formats.render(kind, (analysis, Filters(sources=("Other Partner",))), fmt)
    assert response.content.decode() == expected
    if fmt == "csv":
        header = next(csv.reader(io.StringIO(expected)))
        assert header[0] == {"heatmap": "day", "seasonal": "section", "hotspots": "row"}[kind]
    extension = "geojson" if kind == "hotspots" and fmt == "json" else fmt
    assert response["Content-Disposition"] == f'attachment; filename="incidents-{kind}.{extension}"'
    event = AuditEvent.objects.get(channel="export")
    assert (event.action, event.actor, event.object_type) == ("consult", analyst, "crime.incidents")
    assert f"({fmt})" in event.purpose and "Other Partner" in event.purpose


def test_each_page_view_records_one_consultation_naming_its_filters(signed_in_analyst, incidents):
    signed_in_analyst.get(reverse("crime:incidents-seasonal"), {"types": "Noise"})
    event = AuditEvent.objects.get(purpose__startswith="incident seasonal profile")
    assert (event.action, event.channel) == ("consult", "web")
    assert event.purpose == "incident seasonal profile: types Noise"
    assert event.object_ids == "all"


def test_the_printable_view_has_all_three_analyses_a_static_map_and_is_audited(
    signed_in_analyst, analyst, incidents
):
    page = signed_in_analyst.get(
        reverse("crime:incidents-print"), {"types": "Anti-social behaviour"}
    )
    html = page.content.decode()
    assert page.status_code == 200
    for table_id in ("heatmap-table", "months-table", "hotspot-table"):
        assert table_id in html
    assert table(html, "heatmap-table")[8][-1] == "80"
    assert "80 incidents, counted in UK time." in html  # the heat map's words
    assert "Summer (June to August):" in html and "Halloween (31 October)" in html
    assert '<svg class="crime-map__picture"' in html
    assert "data-crime-map=" not in html and "map.js" not in html  # paper: the picture only
    event = AuditEvent.objects.get(channel="export")
    assert event.purpose == "incident analyses (print): types Anti-social behaviour"
    assert event.actor == analyst


# --- A fixed number of queries ---------------------------------------------------------------


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured)


def test_the_pages_and_the_api_issue_the_same_queries_for_20_and_2000_incidents(
    signed_in_analyst,
):
    urls = [(reverse(name), {}) for name in PAGES] + [
        (reverse("crime:incidents-heatmap"), {"format": "csv"}),
        (reverse("api:crime-incidents-heatmap"), {}),
        (reverse("api:crime-incidents-seasonal"), {}),
        (reverse("api:crime-incidents-hotspots"), {}),
    ]
    store(spread_rows(10) + cluster_rows(10))
    few = [_queries(signed_in_analyst, url, params) for url, params in urls]
    store(spread_rows(1500) + cluster_rows(500), prefix="Q")
    many = [_queries(signed_in_analyst, url, params) for url, params in urls]
    assert many == few
