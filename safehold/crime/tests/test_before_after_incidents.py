"""The partner incident logs on the before/after page (ADR 45): a hand-made log is imported
beside the session's police.uk store, each incident at a point built inside (or outside) one of
the ward's LSOAs, and the page's monthly "Partner incident logs" counts are checked against a
count of those rows made here; months the logs do not cover say so; the before-and-after and
year-before figures add up from the counts; a user who may not read incident logs does not get
the series, one who may does; the query count stays that of the page without the logs."""

import csv
import datetime
import io
from collections import Counter
from html import unescape

import pytest
import shapely
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pyproj import Transformer

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.analytics.series import area_series_for, months_between
from safehold.core.tests.tables import number, table
from safehold.crime import queries
from safehold.crime.queries.filters import shift_month
from safehold.geography.boundaries import shipped_in_metres
from safehold.incidents.tests.pages import store

pytestmark = pytest.mark.django_db

HEATONS_NORTH = "E05000791"
OPERATION = {"area": HEATONS_NORTH, "date": "2018-06-14"}
WINDOW = [shift_month("2018-06", i) for i in range(-12, 12)]
# The logs cover June 2016 to January 2019: the last four months of the window are not covered.
LOGGED = months_between("2016-06", "2019-01")
TO_WGS84 = Transformer.from_crs(27700, 4326, always_xy=True)


def _label(month: str) -> str:
    return datetime.date(int(month[:4]), int(month[5:]), 1).strftime("%B %Y")


def _inside(code: str) -> tuple[float, float]:
    """A point (latitude, longitude) surely inside the LSOA's shipped boundary."""
    codes, shapes = shipped_in_metres()
    point = shapely.point_on_surface(shapes[codes.index(code)])
    lon, lat = TO_WGS84.transform(point.x, point.y)
    return round(lat, 6), round(lon, 6)


@pytest.fixture
def with_logs(settings, police_store_dir, tmp_path):
    """The session's police.uk store (linked, read only) and, beside it, a hand-made incident
    log of two sources; returns the count by month of the rows placed inside the ward."""
    for entry in police_store_dir.iterdir():
        (tmp_path / entry.name).symlink_to(entry)
    settings.DATA_DIR = tmp_path
    with queries.connect() as con:
        ward = [
            r[0]
            for r in con.execute(
                "SELECT lsoa21_code FROM lsoa21 WHERE ward_code = ? ORDER BY 1", [HEATONS_NORTH]
            ).fetchall()
        ]
        elsewhere = con.execute(
            "SELECT lsoa21_code FROM lsoa21 WHERE lad_code = 'E08000007' AND ward_code <> ? "
            "ORDER BY 1 LIMIT 3",
            [HEATONS_NORTH],
        ).fetchall()
    inside = [_inside(c) for c in ward[:3]]
    outside = [_inside(c) for (c,) in elsewhere]
    homes, police = [], []
    expected: Counter = Counter()
    for i, month in enumerate(LOGGED):
        day = datetime.datetime(int(month[:4]), int(month[5:]), 10, 14, 30)
        for j in range(i % 5):  # 0 to 4 a month inside the ward, spread over its LSOAs
            homes.append(((day + datetime.timedelta(days=j)).strftime("%Y-%m-%dT%H:%M"),
                          "Noise", inside[j % len(inside)]))  # fmt: skip
            expected[month] += 1
        for j in range(3):  # and three a month outside it, which must not count
            homes.append(((day + datetime.timedelta(hours=j)).strftime("%Y-%m-%dT%H:%M"),
                          "Noise", outside[j]))  # fmt: skip
        if month.endswith("-03"):  # a second source: one ASB incident each March, inside
            police.append((day.strftime("%Y-%m-%dT%H:%M"), "Anti-social behaviour", inside[0]))
            expected[month] += 1
    store(homes)
    store(police, source="Council ASB team", prefix="A")
    return expected


def _series_counts(html: str) -> dict[str, int | None]:
    rows = table(html, "series-incidents-table")[1:]
    return {r[0]: (None if r[2] == "not covered" else number(r[2])) for r in rows}


def test_the_pages_monthly_incident_counts_are_those_of_the_imported_rows_in_the_area(
    signed_in, with_logs
):
    response = signed_in.get(reverse("crime:before-after"), OPERATION)
    assert response.status_code == 200
    html = unescape(response.content.decode())
    shown = _series_counts(html)
    assert list(shown) == [_label(m) for m in WINDOW]
    for month in WINDOW:
        want = with_logs.get(month, 0) if month in LOGGED else None
        assert shown[_label(month)] == want, month
    assert sum(v for v in shown.values() if v) == sum(with_logs[m] for m in WINDOW) > 0
    # The year-before column is the count twelve months earlier.
    rows = table(html, "series-incidents-table")[1:]
    assert [number(r[3]) for r in rows] == [with_logs.get(shift_month(m, -12), 0) for m in WINDOW]
    # The police.uk table is still there, unchanged in shape.
    assert len(table(html, "months-table")) == len(WINDOW) + 1


def test_the_incident_change_figures_add_up_from_the_counts(signed_in, with_logs):
    html = unescape(signed_in.get(reverse("crime:before-after"), OPERATION).content.decode())
    before = [m for m in WINDOW if m < "2018-06" and m in LOGGED]
    after = [m for m in WINDOW if m >= "2018-06" and m in LOGGED]
    n_before = sum(with_logs[m] for m in before)
    n_after = sum(with_logs[m] for m in after)
    headline = html.split('id="series-incidents-headline"')[1].split("</ul>")[0]
    assert f"{n_before} in the {len(before)} months before ({n_before / len(before):.1f}" in (
        headline
    )
    assert f"{n_after} in the {len(after)} months after ({n_after / len(after):.1f}" in headline
    year_before = sum(with_logs[shift_month(m, -12)] for m in after)
    assert f"{n_after} in the {len(after)} months after, against {year_before} in" in headline


def test_the_csv_and_xlsx_hold_the_incident_series(signed_in, with_logs):
    response = signed_in.get(reverse("crime:before-after"), {**OPERATION, "format": "csv"})
    part = response.content.decode().split("\n\n")[2]
    rows = list(csv.DictReader(io.StringIO(part)))
    assert [r["month"] for r in rows] == WINDOW
    assert {r["series"] for r in rows} == {"incidents"}
    assert [r["count"] for r in rows] == [
        str(with_logs.get(m, 0)) if m in LOGGED else "" for m in WINDOW
    ]
    response = signed_in.get(reverse("crime:before-after"), {**OPERATION, "format": "xlsx"})
    sheet = list(
        load_workbook(io.BytesIO(response.content))["Other series"].iter_rows(values_only=True)
    )
    assert [r[3] for r in sheet[1:]] == [
        with_logs.get(m, 0) if m in LOGGED else None for m in WINDOW
    ]


def test_a_user_who_may_not_read_incident_logs_does_not_get_the_series(client, with_logs):
    referrer = UserFactory(role=Role.REFERRER)
    assert [s.key for s in area_series_for(referrer)] == []
    client.force_login(referrer)
    response = client.get(reverse("crime:before-after"), OPERATION)
    assert response.status_code == 403
    assert b"Partner incident logs" not in response.content
    # Positive control: an analyst may read them, and the page shows them.
    analyst = UserFactory(role=Role.ANALYST)
    assert [s.label for s in area_series_for(analyst)] == ["Partner incident logs"]
    client.force_login(analyst)
    response = client.get(reverse("crime:before-after"), OPERATION)
    assert response.status_code == 200
    assert 'id="series-incidents-table"' in response.content.decode()


def test_the_logs_add_no_database_query(signed_in, police_store_dir, settings, with_logs):
    """The series is read from the analytics store: the page costs the same queries with the
    logs as without them."""
    with_logs_dir = settings.DATA_DIR
    used = []
    for data_dir in (with_logs_dir, police_store_dir):
        settings.DATA_DIR = data_dir
        signed_in.get(reverse("crime:before-after"), OPERATION)  # warm
        with CaptureQueriesContext(connection) as run:
            response = signed_in.get(reverse("crime:before-after"), OPERATION)
        assert response.status_code == 200
        used.append(len(run))
        html = response.content.decode()
        # Without logs the section says so, with no table; with them the table has counts.
        assert ('id="series-incidents-table"' in html) == (data_dir == with_logs_dir)
        assert ('id="series-incidents-none"' in html) == (data_dir == police_store_dir)
    assert used[0] == used[1]
