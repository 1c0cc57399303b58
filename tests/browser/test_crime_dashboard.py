"""The demo analyst opens the police.uk dashboard with Greater Manchester's real data (the
committed Stockport burglary cut of gmp_bur.csv), sees Stockport's 21 wards on the Leaflet
choropleth and the hot-spot grid drawn, changes a filter, opens a ward's locality report and
downloads its PDF; axe-core finds no serious problem on any page on the way."""

import re
import subprocess

import pytest

from tests.browser.conftest import serious_accessibility_violations, sign_in

pytestmark = pytest.mark.browser

ANALYST = "analyst@gmp.demo.safehold.test"
BURGLARY = "safehold/crime/data/stockport_burglary_2016-02_2019-01.zip"


def load_burglary(server) -> None:
    """The committed cut, imported with the server's own command (importing it again, when
    the demo already holds it, changes nothing)."""
    server.safehold("crime", "import", BURGLARY)


def no_problems(page, name, problems) -> None:
    if found := serious_accessibility_violations(page):
        problems[name] = found


def test_an_analyst_reads_the_dashboard_and_downloads_a_wards_locality_report(server, page):
    load_burglary(server)
    problems: dict[str, list[str]] = {}
    sign_in(page, server, ANALYST)
    base = server.base_url

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Crime and ASB").click()
    page.wait_for_url(base + "/crime/")
    assert "Showing: February 2018 to January 2019" in page.locator("#showing").inner_text()
    # Leaflet replaces both pictures: the ward choropleth and the hot-spot grid.
    page.wait_for_selector("#ward-map.leaflet-container")
    page.wait_for_selector("#hotspot-map.leaflet-container")
    assert page.locator("#ward-map .leaflet-overlay-pane svg path").count() == 21
    assert page.locator("#ward-table tbody tr").count() == 21
    cells = page.locator("#hotspot-table tbody tr").count()
    assert cells > 0
    # The hot-spot map draws the 21 ward outlines and every hot or cold cell.
    assert page.locator("#hotspot-map .leaflet-overlay-pane svg path").count() == 21 + cells
    assert page.locator(".crime-map__canvas svg.crime-map__picture").count() == 0
    page.locator("#ward-map .leaflet-overlay-pane svg path").first.hover()
    assert "crimes per 1,000 residents" in page.locator(".leaflet-tooltip").inner_text()
    assert (
        "Police.uk does not publish where a crime happened"
        in page.locator("#location-note").inner_text()
    )
    count = page.locator("#headline-count").inner_text()
    no_problems(page, "dashboard", problems)

    # A filter: one ward, by number of crimes.
    page.get_by_text("Filter the crimes").click()
    page.get_by_label("Area", exact=True).select_option(label="Heatons North ward")
    page.get_by_label("Number of crimes").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"area=E05000791"))
    assert page.locator("#headline-heading").inner_text() == "Heatons North: the figures"
    assert page.locator("#headline-count").inner_text() != count
    page.wait_for_selector("#ward-map.leaflet-container")
    assert page.locator("#ward-map .leaflet-overlay-pane svg path").count() == 21
    no_problems(page, "dashboard (a ward)", problems)

    # The ward's locality report, from its row of the ward table, and its PDF.
    page.locator("#ward-table").get_by_role("link", name=re.compile(r"^Heatons North\b")).click()
    page.wait_for_url(re.compile(r"/crime/wards/E05000791/report/"))
    assert page.locator("h1").inner_text() == "Heatons North"
    assert page.locator("#lsoa-table tbody tr").count() > 5
    page.wait_for_selector("#hotspot-map.leaflet-container")
    no_problems(page, "locality report", problems)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report as a PDF").click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    assert download.value.suggested_filename.startswith("locality-report-E05000791-")
    text = subprocess.run(
        ["/usr/bin/pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "Heatons North" in text and "Hot spots" in text

    assert problems == {}
