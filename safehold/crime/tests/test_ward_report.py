"""A ward's locality report: its page, its PDF read back with pdftotext, what it audits, and a
404 for a code that is not a ward."""

import subprocess
from html import unescape

import pytest
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.audit.models import AuditEvent
from safehold.core.tests.tables import number, table
from safehold.crime import queries
from safehold.crime.police_hotspots import police_hotspots

pytestmark = pytest.mark.django_db

HEATONS_NORTH = "E05000791"
YEAR = {"start": "2018-02", "end": "2019-01"}


@pytest.fixture
def analyst(db):
    return UserFactory(role=Role.ANALYST)


@pytest.fixture
def signed_in(client, analyst):
    client.force_login(analyst)
    return client


def _url(code=HEATONS_NORTH) -> str:
    return reverse("crime:ward-report", args=[code])


def _expected(con):
    count = queries.counts(con, group_by=[], area=HEATONS_NORTH, **YEAR).rows[0][0]
    ward = queries.find_area(con, HEATONS_NORTH)
    lsoas = queries.counts(con, group_by=["lsoa"], area=HEATONS_NORTH, rates=True, **YEAR)
    return count, ward, lsoas


def test_the_report_page_has_the_wards_figures_lsoas_and_comparisons(signed_in, police_store):
    con = queries.connect()
    count, ward, lsoas = _expected(con)
    response = signed_in.get(_url())
    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert '<h1 class="govuk-heading-l">Heatons North</h1>' in page
    assert number(dict(table(page, "headline-table")[1:])["Crimes"]) == count
    assert dict(table(page, "headline-table")[1:])["Crimes per 1,000 residents"] == (
        f"{count * 1000 / ward.population:,.2f}"
    )
    # Every LSOA of the ward, with its crimes and rate.
    in_ward = con.execute(
        "SELECT count(*) FROM lsoa21 WHERE ward_code = ?", [HEATONS_NORTH]
    ).fetchone()[0]
    rows = table(page, "lsoa-table")[1:]
    assert len(rows) == in_ward
    assert {r[1]: (number(r[2]), r[4]) for r in rows if number(r[2])} == {
        code: (n, f"{rate:,.2f}") for code, _, n, _, rate in lsoas.rows
    }
    # Against Stockport and Greater Manchester.
    against = [r[0] for r in table(page, "against-table")[1:]]
    assert against == ["Heatons North", "Stockport", "Greater Manchester", "England and Wales"]
    stockport = queries.compare(con, area="E08000007", **YEAR)[0]
    assert table(page, "against-table")[2][3] == f"{stockport.rate_per_1000:,.2f}"
    # Its hot spots, on a picture of its LSOAs.
    spots = police_hotspots(con, area=HEATONS_NORTH, **YEAR)
    assert len(table(page, "hotspot-table")) == 1 + len(spots.cells)
    assert "Outlines: LSOA boundaries" in page
    assert f'href="{_url()}?from=2018-02&to=2019-01&format=pdf"' in page


def test_the_dashboards_ward_rows_lead_to_the_report(signed_in, police_store):
    page = signed_in.get(reverse("crime:dashboard")).content.decode()
    assert f'href="{_url()}?from=2018-02&amp;to=2019-01"' in page


def test_the_pdf_reads_like_a_board_paper_with_the_wards_figures_and_is_audited(
    signed_in, analyst, police_store
):
    con = queries.connect()
    count, ward, lsoas = _expected(con)
    response = signed_in.get(_url(), {"format": "pdf", "from": "2018-02", "to": "2019-01"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="locality-report-{HEATONS_NORTH}-2018-02-2019-01.pdf"'
    )
    text = subprocess.run(
        ["/usr/bin/pdftotext", "-layout", "-", "-"],
        input=response.content,
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert "Heatons North" in text and "February 2018 to January 2019" in text
    assert f"{count * 1000 / ward.population:,.2f}" in text and str(count) in text
    for code, name, *_ in lsoas.rows:
        assert code in text and name in text
    for heading in ("Trend by month", "Crime types", "The ward's neighbourhoods (LSOAs)",
                    "Hot spots", "Seasonal profile", "Repeat locations"):  # fmt: skip
        assert heading in text, heading
    # Sentences read in the PDF's reading order (with -layout, side-by-side columns interleave
    # line by line wherever their lines happen to fall).
    flat = " ".join(
        subprocess.run(
            ["/usr/bin/pdftotext", "-", "-"],
            input=response.content,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split()
    )
    assert (
        "Contains public sector information licensed under the Open Government Licence v3.0" in flat
    )
    assert "Police.uk does not publish where a crime happened" in flat
    info = subprocess.run(
        ["/usr/bin/pdfinfo", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "595.276 x 841.89 pts (A4)" in info
    event = AuditEvent.objects.get(object_type="crime.ward-report", channel="export")
    assert (event.actor, event.action, event.object_ids) == (analyst, "consult", HEATONS_NORTH)
    assert event.purpose == (
        "ward locality report (pdf): Heatons North (E05000791): February 2018 to January 2019; "
        "all crime types"
    )


def test_the_period_and_types_can_be_chosen(signed_in, police_store):
    page = signed_in.get(_url(), {"from": "2018-06", "to": "2018-06", "crime_type": "Burglary"})
    expected = queries.counts(
        queries.connect(), group_by=[], area=HEATONS_NORTH, start="2018-06", end="2018-06",
        crime_types=["Burglary"],
    ).rows[0][0]  # fmt: skip
    html = page.content.decode()
    assert number(dict(table(html, "headline-table")[1:])["Crimes"]) == expected
    assert 'name="area"' not in html  # the ward is in the address


@pytest.mark.parametrize(
    "code", ["E05999999", "E08000007", "E01005916", "e05000791", "greater-manchester"]
)
def test_a_code_that_is_not_a_ward_is_not_found(signed_in, police_store, code):
    assert signed_in.get(_url(code)).status_code == 404
    assert signed_in.get(_url(code), {"format": "pdf"}).status_code == 404


def test_bad_filters_get_a_design_system_error(signed_in, police_store):
    response = signed_in.get(_url(), {"from": "2019-01", "to": "2018-01"})
    assert response.status_code == 400
    assert "The end month must be the same as or after the start month" in unescape(
        response.content.decode()
    )
    assert not AuditEvent.objects.filter(object_type="crime.ward-report").exists()
