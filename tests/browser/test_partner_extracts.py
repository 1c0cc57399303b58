"""Partner extracts in the browser (issue 17, item 1): an information-governance officer uploads
a people extract with a mistake, sees every problem on the upload's page, then uploads it
corrected and sees it stored (the worker runs it; the page polls until it is done); both pages
and the list pass axe-core."""

import re

import pytest

from tests.browser.conftest import serious_accessibility_violations, sign_in

pytestmark = pytest.mark.browser

HEADER = "record_id,first_name,surname,date_of_birth,postcode\n"


def _upload(page, server, path) -> None:
    page.goto(server.base_url + "/partners/extracts/upload/")
    page.get_by_role("radio", name="People").check()
    page.get_by_label("Information sharing agreement").select_option(index=1)
    page.get_by_label("Purpose").fill("Finding people known to more than one agency")
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="Check and store").click()
    page.wait_for_url(re.compile(r"/partners/extracts/upload/[0-9a-f-]{36}/$"))


def test_an_extract_is_refused_with_its_problems_then_stored(server, page, tmp_path):
    sign_in(page, server, "ig@council.demo.safehold.test")
    bad = tmp_path / "people.csv"
    bad.write_text(
        HEADER + "C-1,Ada,Lovelace,1990-12-10,SK1 3XE\n,Alan,Turing,31/02/1992,nowhere\n"
    )
    _upload(page, server, bad)
    page.wait_for_selector("text=Check your file", timeout=30_000)
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "The file has 3 problems. Nothing was stored." in summary
    assert "Row 3, record_id" in summary and "Row 3, postcode" in summary
    assert serious_accessibility_violations(page) == []

    good = tmp_path / "people-fixed.csv"
    good.write_text(HEADER + "C-1,Ada,Lovelace,1990-12-10,SK1 3XE\nC-2,Alan,Turing,23/06/1992,\n")
    _upload(page, server, good)
    page.wait_for_selector(".govuk-panel--confirmation", timeout=30_000)
    assert "2 rows stored" in page.locator("main").inner_text()
    assert serious_accessibility_violations(page) == []

    page.goto(server.base_url + "/partners/extracts/")
    table = page.locator("table").inner_text()
    assert "people-fixed.csv" in table and "Current" in table
    assert serious_accessibility_violations(page) == []
