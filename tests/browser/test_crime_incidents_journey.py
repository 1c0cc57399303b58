"""An analyst uploads a partner's incident log, follows its progress, reads the result, then
the peak times and the hot-spot map, which Leaflet draws from the page's GeoJSON; axe-core
finds no serious problem on any page on the way."""

import datetime
import re

import pytest

from tests.browser.conftest import serious_accessibility_violations, sign_in

pytestmark = pytest.mark.browser

ANALYST = "analyst@gmp.demo.safehold.test"
ROWS = 150_000  # enough for the check to take a few seconds, so its progress can be seen


def big_log(path) -> None:
    """An invented log: one incident every 3 minutes from 2022 on, around Stockport's centre."""
    start = datetime.datetime(2022, 1, 1, tzinfo=datetime.UTC)
    with open(path, "w", encoding="utf-8") as out:
        out.write("reference,occurred_at,type,latitude,longitude\n")
        for i in range(ROWS):
            when = (start + datetime.timedelta(minutes=3 * i)).strftime("%Y-%m-%dT%H:%MZ")
            lat = 53.395 + (i * 7919 % 3000) / 100_000
            lon = -2.175 + (i * 104_729 % 4000) / 100_000
            kind = ("Noise", "Anti-social behaviour", "Criminal damage")[i % 3]
            out.write(f"JOURNEY-{i:06d},{when},{kind},{lat:.5f},{lon:.5f}\n")


def no_problems(page, name, problems) -> None:
    if found := serious_accessibility_violations(page):
        problems[name] = found


def test_an_analyst_uploads_a_log_and_reads_its_peak_times_and_hot_spots(server, page, tmp_path):
    problems: dict[str, list[str]] = {}
    sign_in(page, server, ANALYST)
    base = server.base_url

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Crime and ASB").click()
    page.wait_for_url(base + "/crime/")
    page.get_by_role("navigation", name="Crime and ASB").get_by_role(
        "link", name="Partners' incident logs"
    ).click()
    page.wait_for_url(base + "/crime/incidents/")
    assert "Stockport Homes ASB team (demo)" in page.locator("#sources").inner_text()
    no_problems(page, "overview", problems)

    # A file with a mistake: the check-your-file page lists it, and nothing is stored.
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "reference,occurred_at,type,latitude,longitude\nB-1,the night before,Noise,53.41,-2.16\n",
        encoding="utf-8",
    )
    page.goto(base + "/crime/incidents/upload/")
    no_problems(page, "upload", problems)
    page.set_input_files("input[type=file]", str(bad))
    page.get_by_label("Source (optional)").fill("Journey Homes")
    page.get_by_role("button", name="Check and import").click()
    page.wait_for_selector(".govuk-error-summary", timeout=30_000)
    assert "Check your file" in page.locator("h1").inner_text()
    assert (
        "Enter the date and time like 31/10/2023 21:15"
        in page.locator("#problems-table").inner_text()
    )
    no_problems(page, "check your file", problems)

    # A big file: its progress, then the result.
    log = tmp_path / "journey.csv"
    big_log(log)
    page.goto(base + "/crime/incidents/upload/")
    page.set_input_files("input[type=file]", str(log))
    page.get_by_label("Source (optional)").fill("Journey Homes")
    page.get_by_role("button", name="Check and import").click()
    page.wait_for_url(re.compile(r"/crime/incidents/upload/[0-9a-f-]{36}/$"))
    progress = page.locator("progress#import-progress")
    assert progress.count() == 1, "the check of a big file is still running"
    no_problems(page, "progress", problems)
    # htmx polls the page; once the import is done the page reloads with the result.
    page.wait_for_selector(".govuk-panel--confirmation", timeout=90_000)
    assert f"{ROWS:,}".replace(",", "") in page.locator("#added").inner_text().replace(",", "")
    assert page.locator("#replaced").inner_text() == "0"
    no_problems(page, "result", problems)

    # The peak times of the new source.
    page.get_by_role("link", name=re.compile("See the peak times of Journey Homes")).click()
    page.wait_for_selector("#heatmap-table")
    total = page.locator("#heatmap-table tbody tr").last.locator("td").last.inner_text()
    assert total.replace(",", "") == str(ROWS)
    assert page.locator("svg.crime-chart rect").count() == 7 * 24
    no_problems(page, "peak times", problems)

    page.goto(base + "/crime/incidents/seasons/")
    assert page.locator("#months-table").count() == 1
    no_problems(page, "seasons", problems)

    # The hot-spot map: Leaflet replaces the picture and draws the wards and the cells.
    page.goto(base + "/crime/incidents/hot-spots/?sources=Stockport+Homes+ASB+team+%28demo%29")
    page.wait_for_selector(".crime-map__canvas.leaflet-container")
    cells = page.locator("#hotspot-table tbody tr").count()
    assert cells > 0
    paths = page.locator("#hotspot-map .leaflet-overlay-pane svg path")
    assert paths.count() == 21 + cells
    # The second map on the page: the wards shaded by their incidents.
    assert page.locator("#ward-map .leaflet-overlay-pane svg path").count() == 21
    assert page.locator(".crime-map__canvas svg.crime-map__picture").count() == 0
    assert page.locator(".crime-map__canvas.leaflet-container").count() == 2
    paths.last.hover()
    assert "in this cell" in page.locator(".leaflet-tooltip").inner_text()
    no_problems(page, "hot spots", problems)

    assert problems == {}
