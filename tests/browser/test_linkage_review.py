"""Linkage review in the browser (issue 17, item 3): the landlord's and the police's people
extracts are stored (generated people, some in both, with typos and moves), the landlord's
information-governance officer runs linkage from its page (the worker runs it; the page shows
its progress, then its figures), opens the review queue, confirms one pair and rejects another
with reasons, and finds both on the decisions page. Every page passes axe-core and keeps the
menu on one line at 1280 px (where an IG officer's "Governance" stands for linkage)."""

import csv
import re

import pytest

from safehold.linkage.generate import generate
from safehold.linkage.tests.partnership import EXTRACT_COLUMNS
from tests.browser.conftest import (
    follow,
    layout_problems,
    serious_accessibility_violations,
    sign_in,
)

pytestmark = pytest.mark.browser

AGREEMENT = "Stockport Community Safety Partnership information sharing agreement"
EXTRACTS = {
    "landlord": ("Stockport Homes", "ig@homes.demo.safehold.test"),
    "police": ("Greater Manchester Police", "analyst@gmp.demo.safehold.test"),
}


def _store_extracts(server, tmp_path) -> None:
    # 800 people, seed 5: the engine alone leaves 6 pairs with a landlord record for review.
    # The journey of test_linkage_journey.py (same server, run before) stores the same people
    # under the same record ids, keeps its tenancies extract (which would give these records
    # its addresses) and decides two of the pairs: these records' ids are their own ("R…"), so
    # neither touches them and this test reviews what the engine alone leaves.
    records, _ = generate(800, seed=5, household_traps=4)
    rows = [{**row, "record_id": f"R{row['record_id']}"} for row in records.to_pylist()]
    for source, (agency, user) in EXTRACTS.items():
        path = tmp_path / f"{source}-people.csv"
        with open(path, "w", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(EXTRACT_COLUMNS)
            for row in rows:
                if row["source"] == source:
                    writer.writerow(["" if row[c] is None else row[c] for c in EXTRACT_COLUMNS])
        server.safehold(
            "partners", "import-extract", str(path), "--agency", agency, "--kind", "people",
            "--agreement", AGREEMENT, "--purpose", "Finding people known to more than one agency",
            "--user", user,
        )  # fmt: skip


def _checked(page) -> list[str]:
    return serious_accessibility_violations(page) + layout_problems(page)


def _decide(page, answer: str, reason: str) -> None:
    page.locator("#queue tbody tr").first.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/linkage/review/\d+/$"))
    assert page.locator("#waterfall-table").is_visible()
    assert page.locator("svg.linkage-waterfall").is_visible()
    page.get_by_role("radio", name=answer).check()
    page.get_by_label("Why").fill(reason)
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_url(re.compile(r"/linkage/review/$"))
    assert "Your decision has been recorded" in page.locator("main").inner_text()


def test_a_reviewer_runs_linkage_confirms_one_pair_and_rejects_another(server, page, tmp_path):
    _store_extracts(server, tmp_path)
    sign_in(page, server, "ig@homes.demo.safehold.test")
    # An IG officer's menu is full: "Governance" stands for linkage, and its page links to it.
    page.get_by_role("link", name="Governance").first.click()
    page.get_by_role("link", name="Record linkage").click()
    page.wait_for_url(server.base_url + "/linkage/")
    assert page.locator(".govuk-service-navigation__item--active").inner_text() == "Governance"
    assert _checked(page) == []
    page.get_by_role("button", name="Run linkage").click()
    page.wait_for_url(re.compile(r"/linkage/runs/[0-9a-f-]{36}/$"))
    page.wait_for_selector(".govuk-panel--confirmation", timeout=240_000)
    assert "Linkage complete" in page.locator("main").inner_text()
    assert int(page.locator("#for-review").inner_text()) >= 1
    assert _checked(page) == []

    page.get_by_role("link", name="Review pairs").click()
    page.wait_for_url(re.compile(r"/linkage/review/$"))
    waiting = page.locator("#queue tbody tr").count()
    assert waiting >= 2
    assert _checked(page) == []
    follow(page.locator("#queue tbody tr").first.get_by_role("link"))
    assert _checked(page) == []  # the pair's page, with its chart, table and form
    page.go_back()
    _decide(page, "Yes, the same person", "Same tenancy reference and date of birth")
    _decide(page, "No, not the same person", "Different dates of birth on the tenancy")

    page.goto(server.base_url + "/linkage/decisions/")
    table = page.locator("#decisions").inner_text()
    assert "The same person" in table and "Not the same person" in table
    assert "Same tenancy reference and date of birth" in table
    assert "Different dates of birth on the tenancy" in table
    assert _checked(page) == []

    # Reversing one: its own page (where errors show), then back to the list, reversed.
    action = page.locator("#decisions form").first.get_attribute("action")
    page.goto(server.base_url + action)
    assert _checked(page) == []
    follow(page.get_by_role("button", name="Reverse the decision"))
    assert (
        "Enter the reason for reversing the decision"
        in page.locator(".govuk-error-summary").inner_text()
    )
    page.get_by_label("Why are you reversing this decision?").fill("Checked the wrong tenancy")
    page.get_by_role("button", name="Reverse the decision").click()
    page.wait_for_url(server.base_url + "/linkage/decisions/")
    assert "Checked the wrong tenancy" in page.locator("#decisions").inner_text()
