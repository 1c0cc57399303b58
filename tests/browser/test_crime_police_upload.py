"""The demo analyst sees the police.uk data the demo loaded (Stockport's burglaries), uploads a
police.uk download zip, follows its progress, reads the result and finds it on the "what is
loaded" page; a file of another shape is refused by name; axe-core finds no serious problem on
any page on the way."""

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest

from tests.browser.conftest import follow, serious_accessibility_violations, sign_in

pytestmark = pytest.mark.browser

ANALYST = "analyst@gmp.demo.safehold.test"
POLICE = Path(__file__).resolve().parents[2] / "safehold" / "crime" / "tests" / "data" / "police"
BURGLARY = Path(__file__).resolve().parents[2] / "safehold" / "crime" / "data"
# The committed extracts: Cleveland's outcomes and Greater Manchester's stop and search as they
# are, and Cleveland's February street file once for each month of 1995 to 2014 (the month of
# its rows changed to the month of its name), enough files for the import to take a few seconds
# so its progress can be seen. The street months end before the demo's (2016 to 2019), so the
# dashboard's default period (the last 12 months loaded) is the same whichever test runs first.
STREET = POLICE / "2023-02-cleveland-street.csv"
REAL = [
    POLICE / "2023-03-cleveland-outcomes.csv",
    POLICE / "2018-09-greater-manchester-stop-and-search.csv",
]
MONTHS = [f"{year}-{month:02d}" for year in range(1995, 2015) for month in range(1, 13)]


def rows_of(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines()) - 1


def download_zip(target: Path) -> Path:
    february = STREET.read_text(encoding="utf-8")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for path in REAL:
            z.write(path, f"{path.name[:7]}/{path.name}")
        for month in MONTHS:
            z.writestr(
                f"{month}/{month}-cleveland-street.csv", february.replace(",2023-02,", f",{month},")
            )
    return target


def no_problems(page, name, problems) -> None:
    if found := serious_accessibility_violations(page):
        problems[name] = found


def holdings(page) -> list[list[str]]:
    return [
        [c.strip() for c in row.locator("td").all_inner_texts()]
        for row in page.locator("#holdings tbody tr").all()
    ]


def test_an_analyst_uploads_police_uk_files_and_finds_them_loaded(server, page, tmp_path):
    problems: dict[str, list[str]] = {}
    sign_in(page, server, ANALYST)
    base = server.base_url

    # The demo loaded Stockport's real burglaries.
    page.goto(base + "/crime/police/")
    assert page.locator("h1").inner_text() == "What is loaded"
    with zipfile.ZipFile(BURGLARY / "stockport_burglary_2016-02_2019-01.zip") as z:
        burglaries = sum(
            len(z.read(n).decode().splitlines()) - 1 for n in z.namelist() if n.endswith(".csv")
        )
    assert [
        "Street-level crime", "Greater Manchester Police", "February 2016 to January 2019", "36",
        f"{burglaries:,}",
    ] in holdings(page)  # fmt: skip
    assert "Burglary" in page.locator("#coverage-types").inner_text()
    no_problems(page, "what is loaded (demo)", problems)

    page.get_by_role("link", name="Upload police.uk files").first.click()
    page.wait_for_url(base + "/crime/police/upload/")
    no_problems(page, "upload", problems)
    follow(page.get_by_role("button", name="Check and import"))
    assert "Select a CSV file or a zip file" in page.locator(".govuk-error-summary").inner_text()
    no_problems(page, "upload (errors)", problems)

    # A file of another shape: refused by name, with its header problem, nothing imported.
    odd = tmp_path / "2023-04-cleveland-street.csv"
    odd.write_text("Month,Crime.type,Longitude,Latitude\n2023-04,Burglary,-1.2,54.5\n")
    page.set_input_files("input[type=file]", str(odd))
    page.get_by_role("button", name="Check and import").click()
    page.wait_for_selector(".govuk-error-summary", timeout=30_000)
    assert page.locator("h1").inner_text() == "Check your files"
    problem = page.locator("#problems-table tbody tr").first.inner_text()
    assert "2023-04-cleveland-street.csv" in problem
    assert "Not the columns of a police.uk street file" in problem
    no_problems(page, "check your files", problems)

    # A police.uk download: what it will do and its progress, then the result.
    archive = download_zip(tmp_path / "police-uk-download.zip")
    page.goto(base + "/crime/police/upload/")
    page.set_input_files("input[type=file]", str(archive))
    page.get_by_role("button", name="Check and import").click()
    page.wait_for_url(re.compile(r"/crime/police/upload/[0-9a-f-]{36}/$"))
    assert page.locator("progress#import-progress").count() == 1, "the import is still running"
    no_problems(page, "progress", problems)
    page.wait_for_selector(".govuk-panel--confirmation", timeout=120_000)
    files = len(REAL) + len(MONTHS)
    street = rows_of(STREET) * len(MONTHS)
    total = street + rows_of(REAL[0]) + rows_of(REAL[1])
    panel = page.locator(".govuk-panel__body").inner_text()
    assert panel == f"{total:,} rows from {files} files"
    assert page.locator("#new").inner_text() == str(files)
    assert page.locator("#replaced").inner_text() == "0"
    results = page.locator("#result-table tbody tr").all_inner_texts()
    assert any("Street-level crime" in r and f"{street:,}" in r for r in results)
    no_problems(page, "result", problems)

    # On the "what is loaded" page, beside the demo's burglaries, with every file's import.
    page.get_by_role("link", name="See everything that is loaded").click()
    page.wait_for_url(base + "/crime/police/")
    held = holdings(page)
    assert [
        "Street-level crime", "Cleveland Police", "January 1995 to December 2014",
        str(len(MONTHS)), f"{street:,}",
    ] in held  # fmt: skip
    assert ["Outcomes", "Cleveland Police", "March 2023", "1", str(rows_of(REAL[0]))] in held
    assert [
        "Stop and search", "Greater Manchester Police", "September 2018", "1",
        str(rows_of(REAL[1])),
    ] in held  # fmt: skip
    newest = page.locator("#imports-table tbody tr").first.inner_text()  # the last file swapped in
    assert "police-uk-download.zip:2014-12/2014-12-cleveland-street.csv" in newest
    assert "New" in newest
    no_problems(page, "what is loaded (after the upload)", problems)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the imports as CSV").click()
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    sources = [r["file"] for r in csv.DictReader(io.StringIO(content))]
    assert sum(s.startswith("police-uk-download.zip:") for s in sources) == files
    assert sum(s.startswith("stockport_burglary_2016-02_2019-01.zip:") for s in sources) == 36
    assert problems == {}
