"""The before/after page (`/crime/before-after/`, ADR 45) over the session's police.uk store
(the Stockport burglary cut and the invented BTP rows): its monthly counts are those of
`safehold crime summary` for the area, run here; the comparable areas are named, of the same
force and level, and their counts are the summary's too; the change figures add up from those
counts; bad input gets a GOV.UK error; the downloads hold the page's figures and are audited."""

import csv
import datetime
import io
from html import unescape

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from safehold.audit.choices import Channel
from safehold.audit.models import AuditEvent
from safehold.core.tests.tables import number, table
from safehold.crime import queries
from safehold.crime.queries.filters import shift_month

pytestmark = pytest.mark.django_db

HEATONS_NORTH = "E05000791"
OPERATION = {"area": HEATONS_NORTH, "date": "2018-06-14"}
# The window: 12 months before June 2018, and June 2018 to January 2019 (the last loaded).
BEFORE = [shift_month("2018-06", i) for i in range(-12, 0)]
AFTER = [shift_month("2018-06", i) for i in range(8)]
UNLOADED = ["2019-02", "2019-03", "2019-04", "2019-05"]


def _summary(capsys, *args) -> list[dict[str, str]]:
    call_command("crime", "summary", "--format", "csv", *args)
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


def _monthly(capsys, area: str, *args) -> dict[str, int]:
    rows = _summary(capsys, "--area", area, "--group-by", "month", *args)
    return {r["month"]: int(r["count"]) for r in rows}


def _page_counts(html: str) -> dict[str, int]:
    rows = table(html, "months-table")[1:]
    return {r[0]: (None if r[2] == "not loaded" else number(r[2])) for r in rows}


def _label(month: str) -> str:
    return datetime.date(int(month[:4]), int(month[5:]), 1).strftime("%B %Y")


def test_the_pages_monthly_counts_are_those_of_the_crime_summary_for_the_area(
    signed_in, police_store, capsys
):
    response = signed_in.get(reverse("crime:before-after"), OPERATION)
    assert response.status_code == 200
    shown = _page_counts(response.content.decode())
    summary = _monthly(capsys, HEATONS_NORTH, "--from", "2017-06", "--to", "2019-05")
    assert list(shown) == [_label(m) for m in BEFORE + AFTER + UNLOADED]
    for month in BEFORE + AFTER:
        assert shown[_label(month)] == summary.get(month, 0), month
    assert sum(summary.values()) == sum(shown[_label(m)] for m in BEFORE + AFTER) > 0
    # The months after the last loaded one say so, and count in no figure.
    assert shown[_label("2019-02")] is None


def test_a_crime_type_filter_gives_the_summarys_counts_of_that_type(
    signed_in, police_store, capsys
):
    params = {**OPERATION, "crime_type": ["Anti-social behaviour", "Public order"]}
    response = signed_in.get(reverse("crime:before-after"), params)
    shown = _page_counts(response.content.decode())
    args = ["--crime-type", "Anti-social behaviour", "--crime-type", "Public order"]
    summary = _monthly(capsys, HEATONS_NORTH, "--from", "2017-06", "--to", "2019-01", *args)
    assert {m: shown[_label(m)] for m in BEFORE + AFTER} == {
        m: summary.get(m, 0) for m in BEFORE + AFTER
    }


def test_the_comparable_areas_are_named_other_wards_of_the_force_with_the_summarys_counts(
    signed_in, police_store, capsys
):
    html = unescape(signed_in.get(reverse("crime:before-after"), OPERATION).content.decode())
    rows = table(html, "comparable-table")[1:]
    assert len(rows) == 5
    by_ward = _summary(capsys, "--group-by", "ward,month", "--from", "2017-06", "--to", "2019-01")
    names = {r["ward"]: r["ward_name"] for r in by_ward}
    for name_and_code, _, _, _, before, after in rows:
        code = name_and_code.rsplit("(", 1)[1].rstrip(")")
        assert code != HEATONS_NORTH
        assert name_and_code.startswith(names[code])  # named, and a ward of the loaded force
        counts = {r["month"]: int(r["count"]) for r in by_ward if r["ward"] == code}
        assert number(before) == sum(counts.get(m, 0) for m in BEFORE)
        assert number(after) == sum(counts.get(m, 0) for m in AFTER)


def test_the_comparable_areas_are_the_nearest_in_level_and_trend(police_store):
    con = queries.connect()
    result = queries.before_after(con, area=HEATONS_NORTH, date=datetime.date(2018, 6, 14))
    # Every other ward of Stockport is a candidate (the store holds Stockport only).
    assert result.candidates == 20
    distances = [a.distance for a in result.comparable]
    assert distances == sorted(distances)
    # Asking for every candidate puts the chosen five first, and each later one no nearer.
    everyone = queries.before_after(con, area=HEATONS_NORTH, date=datetime.date(2018, 6, 14), k=20)
    assert [a.code for a in everyone.comparable[:5]] == [a.code for a in result.comparable]
    assert min(a.distance for a in everyone.comparable[5:]) >= distances[-1]


def test_the_change_figures_add_up_from_the_monthly_counts(police_store, capsys):
    con = queries.connect()
    r = queries.before_after(con, area=HEATONS_NORTH, date=datetime.date(2018, 6, 14))
    monthly = _monthly(capsys, HEATONS_NORTH, "--from", "2016-06", "--to", "2019-01")
    before = sum(monthly.get(m, 0) for m in BEFORE)
    after = sum(monthly.get(m, 0) for m in AFTER)
    year_before = sum(monthly.get(shift_month(m, -12), 0) for m in AFTER)
    assert (r.count_before, r.count_after) == (before, after)
    assert r.before_and_after.change_percent == pytest.approx(
        (after / 8 - before / 12) * 100 / (before / 12)
    )
    assert (r.year_on_year.before, r.year_on_year.after) == (year_before, after)
    assert r.year_on_year.change_percent == pytest.approx((after - year_before) * 100 / year_before)
    # The difference in differences from the comparable wards' own counts and residents.
    people = sum(a.population for a in r.comparable)
    group_before = sum(a.count_before for a in r.comparable) * 1000 / people / 12
    group_after = sum(a.count_after for a in r.comparable) * 1000 / people / 8
    area_before = before * 1000 / r.population / 12
    area_after = after * 1000 / r.population / 8
    assert r.comparison.difference_in_differences == pytest.approx(
        (area_after - area_before) - (group_after - group_before)
    )


def test_a_set_of_lsoas_counts_as_the_summary_of_each_and_compares_lsoas_of_other_wards(
    signed_in, police_store, capsys
):
    con = queries.connect()
    lsoas = [
        c
        for (c,) in con.execute(
            "SELECT lsoa21_code FROM lsoa21 WHERE ward_code = ? ORDER BY 1 LIMIT 2", [HEATONS_NORTH]
        ).fetchall()
    ]
    wards = dict(con.sql("SELECT lsoa21_code, ward_code FROM lsoa21").fetchall())
    response = signed_in.get(
        reverse("crime:before-after"), {"area": ", ".join(lsoas), "date": "2018-06-14"}
    )
    assert response.status_code == 200
    html = unescape(response.content.decode())
    shown = _page_counts(html)
    each = [_monthly(capsys, c, "--from", "2017-06", "--to", "2019-01") for c in lsoas]
    for month in BEFORE + AFTER:
        assert shown[_label(month)] == sum(s.get(month, 0) for s in each)
    chosen = [r[0].rsplit("(", 1)[1].rstrip(")") for r in table(html, "comparable-table")[1:]]
    assert len(chosen) == 5
    assert all(wards[c] != HEATONS_NORTH and c not in lsoas for c in chosen)


def test_the_intervention_month_is_marked_on_the_chart_and_in_the_table(signed_in, police_store):
    html = signed_in.get(reverse("crime:before-after"), OPERATION).content.decode()
    assert "The intervention: June 2018" in html
    assert 'stroke-dasharray="5 3"' in html
    row = next(r for r in table(html, "months-table") if r[0] == "June 2018")
    assert row[1] == "After: operation"
    assert "regression to the mean" in html
    assert "displacement" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"area": "E05999999", "date": "2018-06-14"}, "is not an area Safehold knows"),
        ({"area": "E08000007", "date": "2018-06-14"}, "Give one ward code, or one or more LSOA"),
        ({"area": HEATONS_NORTH, "date": "2019-03-01"}, "No data is loaded for the month of"),
        ({"area": HEATONS_NORTH, "date": "2016-02-01"}, "No data is loaded for the months before"),
        ({"area": HEATONS_NORTH, "date": "2025-06-14"}, "No data is loaded for the months around"),
        ({"area": "", "date": "2018-06-14"}, "Enter a ward or LSOA code"),
        ({"area": HEATONS_NORTH, "date_day": "31", "date_month": "2", "date_year": "2018"},
         "The date of the operation must be a real date"),
    ],
)  # fmt: skip
def test_bad_input_gets_a_clear_error(signed_in, police_store, params, message):
    response = signed_in.get(reverse("crime:before-after"), params)
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert "govuk-error-summary" in html
    assert message in html
    assert 'id="months-table"' not in html


def test_with_no_area_the_page_asks_for_one(signed_in, police_store):
    response = signed_in.get(reverse("crime:before-after"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ward or LSOA code" in html
    assert "govuk-error-summary" not in html


def test_the_page_is_audited_as_a_consultation_of_the_area(signed_in, police_store, analyst):
    signed_in.get(reverse("crime:before-after"), OPERATION)
    event = AuditEvent.objects.get(object_type="crime.before-after")
    assert event.actor == analyst
    assert event.object_ids == HEATONS_NORTH
    assert event.channel == Channel.WEB


def test_the_csv_and_xlsx_hold_the_pages_figures_and_are_audited_as_exports(
    signed_in, police_store
):
    html = unescape(signed_in.get(reverse("crime:before-after"), OPERATION).content.decode())
    months = table(html, "months-table")[1:]
    areas = [r[0].rsplit("(", 1)[1].rstrip(")") for r in table(html, "comparable-table")[1:]]
    response = signed_in.get(reverse("crime:before-after"), {**OPERATION, "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    month_part, area_part = text.split("\n\n")
    rows = list(csv.DictReader(io.StringIO(month_part)))
    assert [r["month"] for r in rows] == BEFORE + AFTER + UNLOADED
    assert [r["count"] or "not loaded" for r in rows] == [m[2].replace(",", "") for m in months]
    assert [r["comparable_area"] for r in csv.DictReader(io.StringIO(area_part))] == areas

    response = signed_in.get(reverse("crime:before-after"), {**OPERATION, "format": "xlsx"})
    book = load_workbook(io.BytesIO(response.content))
    sheet = list(book["Months"].iter_rows(values_only=True))
    assert [r[2] for r in sheet[1:]] == [int(r["count"]) if r["count"] else None for r in rows]
    assert [r[0] for r in list(book["Comparable areas"].iter_rows(values_only=True))[1:]] == areas
    exports = AuditEvent.objects.filter(object_type="crime.before-after", channel=Channel.EXPORT)
    assert sorted(e.purpose.split(":")[0] for e in exports) == [
        "crime before and after (csv)",
        "crime before and after (xlsx)",
    ]


def test_the_page_takes_the_same_number_of_database_queries_whatever_the_area(
    signed_in, police_store
):
    """The figures come from the analytics store: the database serves only the session, the
    user and the audit event, so a busy ward and a quiet LSOA cost the same queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    con = queries.connect()
    quiet = con.execute(
        "SELECT lsoa21_code FROM lsoa21 WHERE ward_code = ? ORDER BY 1 LIMIT 1", [HEATONS_NORTH]
    ).fetchone()[0]
    signed_in.get(reverse("crime:before-after"), OPERATION)  # the first also warms the store
    used = []
    for params in (OPERATION, {"area": quiet, "date": "2018-06-14", "before": "24"}):
        with CaptureQueriesContext(connection) as queries_run:
            assert signed_in.get(reverse("crime:before-after"), params).status_code == 200
        used.append(len(queries_run))
    assert used[0] == used[1] <= 16 + (4 if connection.vendor == "postgresql" else 0)
