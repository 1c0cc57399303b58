"""The police.uk dashboard: who may see it, that every table, chart and map holds the analysis
functions' numbers, that the filters change them, its errors, what it audits, its printable
view and its query count. About 400 lines, one module: every test reads the same dashboard
page with the same loaded store."""

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
from safehold.charts.maps import SHADES
from safehold.core.tests.tables import number, table
from safehold.crime import queries
from safehold.crime.dashboard.filters import month_label
from safehold.crime.ingest import import_police_files
from safehold.crime.police_hotspots import LOCATION_NOTE, police_hotspots
from safehold.crime.tests.police import write_btp

pytestmark = pytest.mark.django_db
DASH = "\u2013"  # what a page shows for a figure there is none of

STOCKPORT = "E08000007"
HEATONS_NORTH = "E05000791"
YEAR = {"start": "2018-02", "end": "2019-01"}  # the default: the last 12 months loaded
PAGES = [
    "crime:dashboard",
    "crime:dashboard-print",
    "crime:police-summary",
    "crime:police-trend",
    "crime:police-compare",
    "crime:police-top",
    "crime:police-seasonal",
    "crime:police-repeats",
    "crime:police-hotspots",
]


@pytest.fixture
def analyst(db):
    return UserFactory(role=Role.ANALYST)


@pytest.fixture
def signed_in(client, analyst):
    client.force_login(analyst)
    return client


def _dashboard(client, params=None) -> str:
    response = client.get(reverse("crime:dashboard"), params or {})
    assert response.status_code == 200, response.content[:2000]
    return response.content.decode()


def _rate(value) -> str:
    return DASH if value is None else f"{value:,.2f}"


def _percent(value) -> str:
    return DASH if value is None else f"{value:+.1f}%"


def _map_data(page: str, map_id: str) -> dict:
    found = re.search(
        rf'<script id="{map_id}-data" type="application/json">(.*?)</script>', page, re.S
    )
    return json.loads(found.group(1))


# --- Who may see it ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", [Role.ANALYST, Role.CASEWORKER, Role.SUPERVISOR, Role.IG_OFFICER, Role.ADMINISTRATOR]
)
def test_the_roles_that_see_crime_analytics_see_every_page(client, police_store, role):
    client.force_login(UserFactory(role=role))
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 200, name
    report = reverse("crime:ward-report", args=[HEATONS_NORTH])
    assert client.get(report).status_code == 200


def test_referrers_may_not_see_them(client, police_store):
    client.force_login(UserFactory(role=Role.REFERRER))
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 403, name
    report = reverse("crime:ward-report", args=[HEATONS_NORTH])
    assert client.get(report).status_code == 403
    assert client.get(report, {"format": "pdf"}).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, police_store):
    for url in [*(reverse(n) for n in PAGES), reverse("crime:ward-report", args=[HEATONS_NORTH])]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:sign-in"))


def test_crime_and_asb_in_the_menu_leads_to_the_dashboard_which_links_the_incident_logs(
    signed_in, police_store
):
    home = signed_in.get(reverse("core:home")).content.decode()
    assert f'href="{reverse("crime:dashboard")}"' in home
    page = _dashboard(signed_in)
    assert f'href="{reverse("crime:incidents")}"' in page
    incidents = signed_in.get(reverse("crime:incidents")).content.decode()
    assert f'href="{reverse("crime:dashboard")}"' in incidents  # the shared sub navigation
    assert 'aria-label="Crime and ASB"' in incidents and 'aria-label="Incident logs"' in incidents


# --- The numbers --------------------------------------------------------------------------------


def test_the_headline_figures_are_the_last_twelve_months_and_the_year_before(
    signed_in, police_store
):
    con = queries.connect()
    year = queries.counts(con, group_by=[], area=STOCKPORT, **YEAR).rows[0][0]
    before = queries.counts(con, group_by=[], area=STOCKPORT, start="2017-02", end="2018-01")
    before = before.rows[0][0]
    population = queries.find_area(con, STOCKPORT).population
    page = _dashboard(signed_in)
    rows = dict(r for r in table(page, "headline-table")[1:])
    assert number(rows["Crimes"]) == year
    assert rows["Crimes per 1,000 residents"] == _rate(year * 1000 / population)
    assert number(rows["The same months a year before"]) == before
    assert rows["Change on a year before"] == (
        f"{year - before:+,} ({_percent((year - before) * 100 / before)})"
    )
    assert "Showing: February 2018 to January 2019; all crime types" in page


def test_every_ward_is_in_the_table_and_on_the_choropleth_with_the_functions_numbers(
    signed_in, police_store
):
    con = queries.connect()
    counts = queries.counts(con, group_by=["ward"], area=STOCKPORT, rates=True, **YEAR)
    expected = {name: (n, rate) for _, name, n, _, rate in counts.rows}
    page = _dashboard(signed_in)
    rows = table(page, "ward-table")[1:]
    assert len(rows) == 21
    shown = {r[0].removesuffix(": locality report"): (number(r[1]), r[3]) for r in rows}
    assert {k: (n, _rate(rate)) for k, (n, rate) in expected.items()} == {
        k: v for k, v in shown.items() if k in expected
    }
    assert all(v == (0, "0.00") for k, v in shown.items() if k not in expected)
    rates = [float(r[3]) for r in rows]
    assert rates == sorted(rates, reverse=True)  # the highest rate first
    # The choropleth: the 21 wards, the highest rate darkest, each labelled with its rate.
    data = _map_data(page, "ward-map")
    assert data["boundaries"]["features"] == []
    features = {f["properties"]["name"]: f["properties"] for f in data["layer"]["features"]}
    assert len(features) == 21
    top = max(expected, key=lambda k: expected[k][1])
    assert features[top]["fill"] == SHADES[-1]
    assert features[top]["label"] == f"{top}: {expected[top][1]:,.2f} crimes per 1,000 residents"
    picture = page[page.index('id="ward-map"') :]
    picture = picture[: picture.index("</svg>")]
    assert picture.count("<path") == 21  # the picture without JavaScript
    # Each ward's name leads to its locality report, for the same period.
    code = next(c for c, name, *_ in counts.rows if name == top)
    assert f"{reverse('crime:ward-report', args=[code])}?from=2018-02&amp;to=2019-01" in page


def test_the_trend_table_and_charts_hold_the_trend_functions_numbers(signed_in, police_store):
    points = queries.trend(queries.connect(), area=STOCKPORT, **YEAR)
    page = _dashboard(signed_in)
    rows = table(page, "trend-table")[1:]
    assert [r[0] for r in rows] == [month_label(p.month) for p in points]
    for row, p in zip(rows, points, strict=True):
        assert number(row[1]) == p.count and number(row[2]) == p.previous_year
        assert row[4] == _percent(p.change_percent)
        assert number(row[5]) == p.rolling_12 and number(row[6]) == p.rolling_12_previous
        assert row[7] == _percent(p.rolling_change_percent)
    chart = page[page.index('id="trend-chart-title"') : page.index('id="rolling-chart-title"')]
    drawn = re.findall(r"<title>(\w+ \d{4}): ([\d,]+) crimes; [^:]+: ([\d,]+)</title>", chart)
    assert [(m, number(n), number(b)) for m, n, b in drawn] == [
        (month_label(p.month), p.count, p.previous_year) for p in points
    ]
    rolling = page[page.index('id="rolling-chart-title"') :]
    rolling = rolling[: rolling.index("</svg>")]
    drawn = re.findall(r"<title>\w+ \d{4}: ([\d,]+) crimes in the 12 months", rolling)
    assert [number(n) for n in drawn] == [p.rolling_12 for p in points]


def test_types_comparison_top_areas_seasons_and_repeats_hold_the_functions_numbers(
    signed_in, police_store
):
    con = queries.connect()
    page = _dashboard(signed_in)
    types = queries.counts(con, group_by=["crime_type"], area=STOCKPORT, rates=True, **YEAR)
    shown = {r[0]: (number(r[1]), r[3]) for r in table(page, "types-table")[1:]}
    assert shown == {t: (n, _rate(rate)) for t, n, _, rate in types.rows}
    assert len(shown) == 4  # burglary and the three BTP types
    chart = page[page.index('id="types-chart-title"') :]
    chart = chart[: chart.index("</svg>")]
    for _, n, _, _ in types.rows:
        assert f">{n:,}</text>" in chart

    compare = queries.compare(con, area=STOCKPORT, **YEAR)
    rows = table(page, "compare-table")[1:]
    assert [(r[0], number(r[1]), r[4]) for r in rows] == [
        (c.name, c.count, _rate(c.rate_per_1000)) for c in compare
    ]
    notes = unescape(page[page.index('id="compare-notes"') :].split("</ul>")[0])
    assert "Greater Manchester here means only the 1 of its 10 local authorities" in notes
    assert "it is not a national figure" in notes  # only Greater Manchester's geography

    for level in ("ward", "lsoa"):
        top = queries.top_areas(con, level=level, within=STOCKPORT, by="rate", **YEAR)
        rows = table(page, f"top-{level}-table")[1:]  # rank, name, code, crimes, rate
        assert [(int(r[0]), r[2], number(r[3]), r[4]) for r in rows] == [
            (a.rank, a.code, a.count, _rate(a.rate_per_1000)) for a in top
        ]

    seasonal = queries.seasonal(con, area=STOCKPORT, **YEAR)
    rows = table(page, "seasonal-table")[1:]
    assert [(number(r[1]), int(r[2]), r[3], r[4]) for r in rows] == [
        (m.count, m.years, _rate(m.average), _rate(m.index)) for m in seasonal
    ]
    assert rows[9][0] == "October (Halloween)" and rows[10][0] == "November (Bonfire Night)"
    words = unescape(page[page.index('id="seasonal-words"') :].split("</ul>")[0])
    assert "Summer (June to August):" in words
    assert f"October stands for it: {seasonal[9].average:,.1f} crimes" in words
    assert f"{seasonal[10].index:.2f} times an ordinary month" in words

    repeats = queries.repeat_locations(con, area=STOCKPORT, limit=10, **YEAR)
    rows = table(page, "repeats-table")[1:]
    assert [(number(r[3]), int(r[4])) for r in rows] == [(r.count, r.months) for r in repeats]
    assert rows[0][1] == f"{repeats[0].latitude:.5f}, {repeats[0].longitude:.5f}"
    profile = queries.repeat_profile(con, area=STOCKPORT, **YEAR)
    assert f"{profile.incidents:,} crimes at {profile.locations:,} places" in unescape(page)
    assert "anonymised map point, not an address" in unescape(page)


def test_the_hot_spot_grid_is_drawn_with_its_table_classes_and_the_location_note(
    signed_in, police_store
):
    result = police_hotspots(queries.connect(), area=STOCKPORT, **YEAR)
    page = _dashboard(signed_in)
    rows = table(page, "hotspot-table")[1:]
    assert [(r[0], number(r[2]), r[3]) for r in rows] == [
        (c.classification.capitalize(), c.count, f"{c.z:.2f}") for c in result.cells
    ]
    classes = {r[0]: number(r[1]) for r in table(page, "hotspot-classes")[1:]}
    assert classes == {k.capitalize(): v for k, v in result.classes().items()}
    data = _map_data(page, "hotspot-map")
    assert len(data["layer"]["features"]) == len(result.cells)
    assert len(data["boundaries"]["features"]) == 21
    assert data["tiles"] == {"url": "", "attribution": ""}  # no base map: nothing fetched
    assert data["layer"]["features"][0]["properties"]["label"].startswith(
        f"{result.cells[0].classification.capitalize()}: {result.cells[0].count} crimes"
    )
    assert LOCATION_NOTE in unescape(page)
    assert "leaflet/leaflet.js" in page and "crime/map.js" in page


# --- Filters -----------------------------------------------------------------------------------


def test_the_filters_change_the_numbers(signed_in, police_store):
    con = queries.connect()
    ward = _dashboard(signed_in, {"area": HEATONS_NORTH})
    expected = queries.counts(con, group_by=[], area=HEATONS_NORTH, **YEAR).rows[0][0]
    assert number(dict(table(ward, "headline-table")[1:])["Crimes"]) == expected
    assert "Heatons North: the figures" in ward
    assert 'id="top-ward-table"' not in ward  # a ward has no wards to rank
    assert len(table(ward, "ward-table")) == 22  # the map still shows the whole borough
    # Its hot spots are drawn over its LSOAs.
    lsoas = con.execute(
        "SELECT count(*) FROM lsoa21 WHERE ward_code = ?", [HEATONS_NORTH]
    ).fetchone()[0]
    drawn = _map_data(ward, "hotspot-map")
    assert len(drawn["boundaries"]["features"]) == lsoas and drawn["boundaryName"] == "LSOA"
    assert drawn["layer"]["features"]

    by_count = _dashboard(signed_in, {"measure": "count"})
    counts = [number(r[1]) for r in table(by_count, "ward-table")[1:]]
    assert counts == sorted(counts, reverse=True)
    legend = _map_data(by_count, "ward-map")["layer"]["features"][0]["properties"]["label"]
    assert legend.endswith(" crimes") and "per 1,000" not in legend

    june = _dashboard(signed_in, {"from": "2018-06", "to": "2018-06", "crime_type": "Public order"})
    assert number(dict(table(june, "headline-table")[1:])["Crimes"]) == 3  # one has no location
    assert "Showing: June 2018; Public order;" in june
    assert [r[0] for r in table(june, "types-table")[1:]] == ["Public order"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "2019-01", "to": "2018-01"}, "The end month must be the same as or after the start month"),
        ({"from": "2030-01"}, "Select a start month from the list"),
        ({"to": "January"}, "Select an end month from the list"),
        ({"crime_type": "Shoplifting"}, "Select crime types from the list"),
        ({"area": "E05999999"}, "Select an area from the list"),
        ({"measure": "mean"}, "Select a rate per 1,000 residents or a number"),
    ],
)  # fmt: skip
def test_bad_filters_get_a_design_system_error_and_no_figures(
    signed_in, police_store, params, message
):
    response = signed_in.get(reverse("crime:dashboard"), params)
    page = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in page and message in unescape(page)
    assert 'id="headline-table"' not in page
    assert not AuditEvent.objects.filter(object_type="crime.dashboard").exists()


def test_with_nothing_loaded_the_pages_say_so_and_how_to_load_data(signed_in, store):
    for name in PAGES:
        page = signed_in.get(reverse(name)).content.decode()
        assert "No police.uk data has been imported yet" in page, name
        assert "docs/how-to/load-police-data.md" in page
        # An analyst is shown the upload page, never a command to run (issue 14, defect 11).
        assert reverse("crime:police-upload") in page and "safehold crime" not in page


# --- Audit and printing ------------------------------------------------------------------------


def test_each_view_records_one_consultation_naming_its_filters(signed_in, analyst, police_store):
    _dashboard(signed_in, {"area": HEATONS_NORTH, "crime_type": "Burglary"})
    event = AuditEvent.objects.get(object_type="crime.dashboard")
    assert (event.action, event.channel, event.actor) == ("consult", "web", analyst)
    assert event.purpose == (
        "crime dashboard: February 2018 to January 2019; Burglary; Heatons North ward"
    )
    assert event.object_ids == HEATONS_NORTH


def test_the_printable_view_has_every_section_with_pictures_of_the_maps_and_is_audited(
    signed_in, analyst, police_store
):
    response = signed_in.get(reverse("crime:dashboard-print"), {"measure": "count"})
    page = response.content.decode()
    assert response.status_code == 200
    for table_id in ("headline-table", "ward-table", "hotspot-table", "trend-table",
                     "types-table", "compare-table", "seasonal-table", "repeats-table"):  # fmt: skip
        assert f'id="{table_id}"' in page, table_id
    assert page.count('<svg class="crime-map__picture"') == 2
    assert "data-crime-map=" not in page and "map.js" not in page  # paper: pictures only
    event = AuditEvent.objects.get(object_type="crime.dashboard")
    assert event.channel == "export" and event.purpose.startswith("crime dashboard (print): ")


def test_each_section_downloads_from_its_analysis_page_with_the_same_filters(
    signed_in, police_store
):
    page = unescape(_dashboard(signed_in, {"area": HEATONS_NORTH}))
    trend = reverse("crime:police-trend")
    assert f"{trend}?from=2018-02&to=2019-01&area={HEATONS_NORTH}&format=csv" in page
    summary = reverse("crime:police-summary")
    assert f"{summary}?from=2018-02&to=2019-01&area={STOCKPORT}&group_by=ward&format=csv" in page
    assert f"{reverse('crime:police-hotspots')}?from=2018-02&to=2019-01&area={HEATONS_NORTH}" \
        "&format=geojson" in page  # fmt: skip


# --- A fixed number of queries -----------------------------------------------------------------


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured)


URLS = [
    (reverse("crime:dashboard"), {}),
    (reverse("crime:dashboard"), {"area": HEATONS_NORTH, "measure": "count"}),
    (reverse("crime:dashboard-print"), {}),
    (reverse("crime:police-summary"), {"group_by": ["ward", "month"]}),
    (reverse("crime:police-summary"), {"format": "xlsx"}),
    (reverse("crime:police-trend"), {}),
    (reverse("crime:police-hotspots"), {"format": "geojson"}),
    (reverse("crime:police-repeats"), {}),
    (reverse("crime:ward-report", args=[HEATONS_NORTH]), {}),
    (reverse("api:crime-hotspots"), {}),
]


def test_the_pages_issue_the_same_queries_for_a_few_rows_and_thousands(
    signed_in, settings, tmp_path, police_store_dir
):
    settings.DATA_DIR = tmp_path / "few"
    import_police_files(paths=write_btp(tmp_path))  # 26 rows in Stockport
    few = [_queries(signed_in, url, params) for url, params in URLS]
    settings.DATA_DIR = police_store_dir  # 9,674 rows
    many = [_queries(signed_in, url, params) for url, params in URLS]
    assert many == few


def test_another_forces_newer_months_do_not_move_the_default_period(signed_in, store):
    """The default period is the borough's last 12 loaded months, not the store's: Cleveland's
    2023 files beside Stockport's 2016-2019 burglaries leave Stockport's default view full."""
    from safehold.crime.tests.conftest import CLEVELAND, STOCKPORT_BURGLARY

    import_police_files(paths=[STOCKPORT_BURGLARY, *CLEVELAND])
    page = _dashboard(signed_in)
    assert month_label(YEAR["start"]) in page and month_label(YEAR["end"]) in page
    con = queries.connect()
    total = queries.counts(con, group_by=[], area=STOCKPORT, **YEAR).rows[0][-1]
    assert total > 0 and f"{total:,}" in page
