"""Issue 14, defect 3 in a real browser: the council's analyst sees what the evaluation report
covers of the partnership's cases, then the partnership's aggregate figures with a note of what
they cover; and an information-governance officer finds a case's audit trail by its reference
(defect 6). Each page is checked with axe-core."""

import re

import pytest

from tests.browser.conftest import serious_accessibility_violations, sign_in

pytestmark = pytest.mark.browser

ANALYST = "performance@council.demo.safehold.test"  # Stockport Council, holds no case
IG = "ig@homes.demo.safehold.test"  # Stockport Homes, the lead agency


def _period(page):
    for prefix, (day, month, year) in (
        ("date_from", ("1", "1", "2020")),
        ("date_to", ("31", "12", "2026")),
    ):
        page.locator(f"#id_{prefix}_day").fill(day)
        page.locator(f"#id_{prefix}_month").fill(month)
        page.locator(f"#id_{prefix}_year").fill(year)


def test_the_council_analyst_sees_the_partnerships_figures_and_what_they_cover(server, page):
    sign_in(page, server, ANALYST)
    page.goto(server.base_url + "/reports/evaluation/")
    _period(page)
    page.get_by_role("button", name="Show report").click()
    page.wait_for_url(re.compile(r"/reports/evaluation/\?"))
    note = page.locator("#report-coverage").inner_text()
    found = re.search(r"Cases held by or shared with Stockport Council: (\d+) of the "
                      r"partnership.s (\d+)\.", note)  # fmt: skip
    assert found, note
    own, total = int(found[1]), int(found[2])
    assert 0 < own < total  # the demo shares some cases with the council
    assert serious_accessibility_violations(page) == []

    page.get_by_label(re.compile("^Every case of the partnership")).check()
    page.get_by_role("button", name="Show report").click()
    page.wait_for_url(re.compile(r"scope=partnership"))
    note = page.locator("#report-coverage").inner_text()
    assert f"All {total} of the partnership's cases referred in the period" in note
    main = page.locator("main").inner_text()
    assert "Cases received" in main and "Cost-benefit" not in main
    assert serious_accessibility_violations(page) == []


def test_an_ig_officer_finds_a_cases_audit_trail_by_its_reference(server, page):
    sign_in(page, server, IG)
    page.goto(server.base_url + "/cases/")
    reference = re.search(r"EXP-\d{4}-\d{4}", page.locator("table").inner_text())[0]
    page.goto(server.base_url + "/audit/")
    page.get_by_label("Case, person or place").fill(reference)
    page.locator("#main-content").get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/audit/\?"))
    table = page.locator("table").inner_text()
    assert f"Case {reference}" in table and "Viewed" in table
    assert "consult" not in table
    assert serious_accessibility_violations(page) == []
