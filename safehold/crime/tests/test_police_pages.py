"""The police.uk analysis pages: each holds its analysis function's numbers, takes its own
options, refuses bad ones in GOV.UK wording, and downloads the command line's files, audited
as exports."""

import io
import json
from html import unescape

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.audit.models import AuditEvent
from safehold.core.tests.tables import number, table
from safehold.crime import analyses, queries
from safehold.crime.dashboard.filters import month_label
from safehold.crime.police_hotspots import police_hotspots

pytestmark = pytest.mark.django_db
DASH = "\u2013"  # what a page shows for a figure there is none of

STOCKPORT = "E08000007"
HEATONS_NORTH = "E05000791"
YEAR = {"start": "2018-02", "end": "2019-01"}


@pytest.fixture
def analyst(db):
    return UserFactory(role=Role.ANALYST)


@pytest.fixture
def signed_in(client, analyst):
    client.force_login(analyst)
    return client


def _page(client, name, params=None) -> str:
    response = client.get(reverse(f"crime:police-{name}"), params or {})
    assert response.status_code == 200, response.content[:3000]
    return response.content.decode()


def _rate(value) -> str:
    return DASH if value is None else f"{value:,.2f}"


def test_the_sub_navigation_lists_every_analysis_page():
    from safehold.crime.views.police import ANALYSIS_PAGES
    from safehold.crime.views.police_analyses import PAGES

    assert [name for name, _ in ANALYSIS_PAGES] == list(PAGES)
    assert [title for _, title in ANALYSIS_PAGES] == [p.title for p in PAGES.values()]


# --- Each page's numbers -----------------------------------------------------------------------


def test_the_counts_page_groups_by_the_keys_chosen_with_rates_by_area_and_pages_its_rows(
    signed_in, police_store
):
    params = {"group_by": ["ward", "month"], "from": "2017-02", "to": "2019-01"}
    page = _page(signed_in, "summary", params)
    expected = queries.counts(
        queries.connect(), group_by=["ward", "month"], area=STOCKPORT, rates=True,
        start="2017-02", end="2019-01",
    )  # fmt: skip
    assert len(expected.rows) == 21 * 24
    rows = table(page, "summary-table")
    assert rows[0] == [
        "Ward code", "Ward", "Month", "Crimes", "Residents (2021)", "Rate per 1,000 residents"
    ]  # fmt: skip
    assert len(rows) == 1 + 50  # the first page
    for shown, (code, name, month, n, population, rate) in zip(
        rows[1:], expected.rows, strict=False
    ):
        assert shown == [code, name, month_label(month), f"{n:,}", f"{population:,}", _rate(rate)]
    assert f"{len(expected.rows)} rows" in page and "page 1 of 11" in page
    second = _page(signed_in, "summary", {**params, "page": "2"})
    assert table(second, "summary-table")[1][1] == expected.rows[50][1]
    # Without an area key there are no rates.
    by_type = _page(signed_in, "summary", {"group_by": "crime_type"})
    assert table(by_type, "summary-table")[0] == ["Crime type", "Crimes"]


def test_the_trend_page_shows_every_month_loaded_by_default(signed_in, police_store):
    page = _page(signed_in, "trend")
    points = queries.trend(queries.connect(), area=STOCKPORT)
    rows = table(page, "trend-table")[1:]
    assert len(rows) == 36
    assert [number(r[1]) for r in rows] == [p.count for p in points]
    assert [r[5] for r in rows[:11]] == [DASH] * 11  # no rolling figure before 12 months
    assert "Showing: February 2016 to January 2019" in page


def test_the_comparison_page_says_what_the_comparators_cover(signed_in, police_store):
    page = unescape(_page(signed_in, "compare", {"area": HEATONS_NORTH}))
    expected = queries.compare(queries.connect(), area=HEATONS_NORTH, **YEAR)
    rows = table(page, "compare-table")[1:]
    assert [(r[0], number(r[1]), r[3], r[4]) for r in rows] == [
        (c.name, c.count, f"{c.local_authorities} of {c.local_authorities_total}",
         _rate(c.rate_per_1000)) for c in expected
    ]  # fmt: skip
    assert "England and Wales” can count no more than Greater Manchester's" in page


@pytest.mark.parametrize(("level", "measure"), [("ward", "count"), ("lsoa", "rate")])
def test_the_top_areas_page_ranks_wards_or_lsoas_by_count_or_rate(
    signed_in, police_store, level, measure
):
    page = _page(signed_in, "top", {"level": level, "measure": measure, "limit": "25"})
    expected = queries.top_areas(
        queries.connect(), level=level, within=STOCKPORT, by=measure, limit=25, **YEAR
    )
    rows = table(page, f"top-{level}-table")[1:]
    assert len(rows) == (21 if level == "ward" else 25)
    assert [(r[2], number(r[3]), r[5]) for r in rows] == [
        (a.code, a.count, _rate(a.rate_per_1000)) for a in expected
    ]


def test_the_seasonal_page_averages_every_year_loaded(signed_in, police_store):
    page = unescape(_page(signed_in, "seasonal"))
    expected = queries.seasonal(queries.connect(), area=STOCKPORT)
    rows = table(page, "seasonal-table")[1:]
    assert [(number(r[1]), int(r[2]), r[3]) for r in rows] == [
        (m.count, m.years, _rate(m.average)) for m in expected
    ]
    assert all(m.years == 3 for m in expected)  # three of every month, 2016-02 to 2019-01
    assert "(3 Octobers in the period)" in page


def test_the_repeat_locations_page_takes_the_least_count_and_how_many(signed_in, police_store):
    page = unescape(_page(signed_in, "repeats", {"min_count": "5", "limit": "10"}))
    expected = queries.repeat_locations(
        queries.connect(), area=STOCKPORT, min_count=5, limit=10, **YEAR
    )
    rows = table(page, "repeats-table")[1:]
    assert [(number(r[3]), r[5]) for r in rows] == [
        (r.count, f"{month_label(r.first_month)} to {month_label(r.last_month)}") for r in expected
    ]
    assert all(r.count >= 5 for r in expected)
    # The invented BTP rows have police.uk's description of their point.
    june = unescape(_page(signed_in, "repeats", {"from": "2018-06", "to": "2018-06"}))
    assert "On or near Stockport (Station)" in june


def test_the_hot_spot_page_takes_its_grid_options(signed_in, police_store):
    params = {"cell_size": "500", "radius": "2", "alpha": "0.05", "study_area": "borough",
              "area": HEATONS_NORTH}  # fmt: skip
    page = unescape(_page(signed_in, "hotspots", params))
    expected = police_hotspots(
        queries.connect(), area=HEATONS_NORTH, cell_size=500, radius=2, alpha=0.05,
        study_area="borough", **YEAR,
    )  # fmt: skip
    rows = table(page, "hotspot-table")[1:]
    assert [(number(r[2]), r[3]) for r in rows] == [(c.count, f"{c.z:.2f}") for c in expected.cells]
    assert "grid of 500 metre squares" in page and "5 by 5 square" in page
    assert "covering the extent of Stockport" in page
    assert "Showing cells at 95% confidence or more" in page


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        ("hotspots", {"cell_size": "7"}, "Select a cell size from the list"),
        ("hotspots", {"alpha": "0.5"}, "Select a confidence level from the list"),
        ("hotspots", {"study_area": "moon"}, "Select a study area from the list"),
        ("repeats", {"min_count": "lots"}, "The number of crimes must be a whole number, like 2"),
        ("repeats", {"min_count": "1"}, "The number of crimes must be 2 or more"),
        ("top", {"limit": "7"}, "Select how many areas to show from the list"),
        ("top", {"level": "street"}, "Select wards or LSOAs"),
        ("summary", {"group_by": "street"}, "Select what to count by from the list"),
        ("trend", {"from": "2019-01", "to": "2016-02"},
         "The end month must be the same as or after the start month"),
    ],
)  # fmt: skip
def test_bad_options_get_a_design_system_error(signed_in, police_store, name, params, message):
    response = signed_in.get(reverse(f"crime:police-{name}"), params)
    assert response.status_code == 400
    page = unescape(response.content.decode())
    assert "govuk-error-summary" in page and message in page
    assert not AuditEvent.objects.filter(object_type=f"crime.{name}").exists()


# --- Downloads -------------------------------------------------------------------------------


CASES = [
    ("summary", {"group_by": ["ward", "crime_type"]}, {"group_by": ["ward", "crime_type"], "rates": True}),
    ("trend", {"area": HEATONS_NORTH}, {"area": HEATONS_NORTH}),
    ("compare", {}, {}),
    ("top", {"level": "lsoa", "measure": "count", "limit": "25"}, {"level": "lsoa", "by": "count", "limit": 25}),
    ("seasonal", {"crime_type": "Burglary"}, {"crime_types": ("Burglary",)}),
    ("repeats", {"min_count": "3"}, {"min_count": 3, "limit": 25}),
    ("hotspots", {"cell_size": "500"}, {"cell_size": 500.0}),
]  # fmt: skip


@pytest.mark.parametrize(("name", "params", "request_args"), CASES)
def test_downloads_are_the_analyses_files_and_audited_as_exports(
    signed_in, analyst, police_store, name, params, request_args
):
    fmts = {"summary": ["csv", "json"], "hotspots": ["csv", "geojson"]}.get(name, ["csv", "json"])
    expected_args = {"area": STOCKPORT, **YEAR, **request_args}
    if name in ("trend", "seasonal") and "start" in expected_args:  # every month by default
        expected_args |= {"start": "2016-02", "end": "2019-01"}
    result = analyses.analyse(queries.connect(), name, analyses.Request(**expected_args))
    for fmt in fmts:
        response = signed_in.get(reverse(f"crime:police-{name}"), {**params, "format": fmt})
        assert response.status_code == 200
        assert response.content.decode() == result.render(fmt), (name, fmt)
        assert response["Content-Disposition"].startswith(f'attachment; filename="crime-{name}-')
    events = AuditEvent.objects.filter(object_type=f"crime.{name}", channel="export")
    assert [e.purpose.split(" ")[2] for e in events.order_by("id")] == [f"({f})" for f in fmts]
    assert all(e.actor == analyst and e.action == "consult" for e in events)


def test_the_downloads_are_what_the_command_line_writes(signed_in, police_store, capsys):
    response = signed_in.get(
        reverse("crime:police-summary"), {"group_by": "ward", "format": "json"}
    )
    call_command(
        "crime", "summary", "--group-by", "ward", "--area", STOCKPORT, "--rates",
        "--from", "2018-02", "--to", "2019-01", "--format", "json",
    )  # fmt: skip
    assert response.json() == json.loads(capsys.readouterr().out)


def test_the_counts_download_as_a_workbook(signed_in, police_store):
    response = signed_in.get(
        reverse("crime:police-summary"), {"group_by": ["ward", "month"], "format": "xlsx"}
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(book["summary"].iter_rows(values_only=True))
    expected = queries.counts(
        queries.connect(), group_by=["ward", "month"], area=STOCKPORT, rates=True, **YEAR
    )
    assert rows[0] == expected.columns
    assert [r[:5] for r in rows[1:]] == [r[:5] for r in expected.rows]
    assert [r[5] for r in rows[1:]] == [round(r[5], 2) for r in expected.rows]
    about = [r for r in book["about"].iter_rows(values_only=True) if r]
    pairs = {r[0]: r[1] for r in about if len(r) > 1}
    assert pairs["from"] == "2018-02" and pairs["area"] == STOCKPORT
    assert any("Open Government Licence" in str(r[0]) for r in about)


def test_each_page_view_records_one_consultation(signed_in, analyst, police_store):
    _page(signed_in, "top", {"level": "lsoa"})
    event = AuditEvent.objects.get(object_type="crime.top")
    assert (event.channel, event.actor) == ("web", analyst)
    assert event.purpose.startswith("crime top (page) from=2018-02, to=2019-01, area=E08000007")
    assert "level=lsoa" in event.purpose
