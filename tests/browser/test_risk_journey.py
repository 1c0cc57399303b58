"""Issue 18's journey in the browser, on the demo partnership: an analyst opens the top
indicators list for Brinnington and sees the tenant with rising arrears, a learning disability
and two ASB reports at the address, each reason with its source; a tenancy sustainment officer
reviews the entry and chooses "offer tenancy support" with a reason; the tenant leaves the
list; the decision is in the audit log. Every page passes axe-core."""

import re

import pytest

from tests.browser.conftest import serious_accessibility_violations, sign_in

pytestmark = pytest.mark.browser

ANALYST = "analyst@homes.demo.safehold.test"  # Stockport Homes' housing intelligence analyst
TENANCY_OFFICER = "tenancy@homes.demo.safehold.test"  # Sam Whitaker, Stockport Homes
IG = "ig@homes.demo.safehold.test"


def _brinnington(page, server) -> None:
    page.goto(server.base_url + "/risk/")
    page.get_by_label("Ward (optional)").fill("Brinnington")
    page.get_by_role("button", name="Show the list").click()
    page.wait_for_url(re.compile(r"/risk/\?"))
    assert "for ward E05000783" in page.locator("#list-made").inner_text()


def _row(page, name: str):
    return page.locator("#entries tbody tr").filter(has_text=name)


def test_an_officer_reviews_the_tenant_the_analyst_found_and_the_decision_is_audited(
    server, page, browser
):
    # The journeys share one server, and those before this one (name order) upload newer
    # extracts of the landlord and link again: the demo's extracts of the list are put back.
    server.safehold("shell", "-c", "from safehold.demo import risk; risk.put_back()")
    # The analyst opens the list for Brinnington: the tenant is first, with three reasons, each
    # with its source (the learning disability is recorded on Stockport Homes' own Safehold
    # person: the analyst reads the flag, not the person's record).
    sign_in(page, server, ANALYST)
    _brinnington(page, server)
    first = page.locator("#entries tbody tr").first
    text = first.inner_text()
    assert "Rent arrears rising" in text and "rose at each of the last 3 extracts" in text
    assert text.count("reported at the address") == 2 and "ASB" in text
    assert "Source: Stockport Homes" in text
    assert "Learning disability recorded on the person" in text
    assert "An indicator from Stockport Homes' data" not in text
    assert "Nothing is done to anyone because they are on this list" in page.inner_text("main")
    assert serious_accessibility_violations(page) == []
    name = first.locator("strong").first.inner_text()
    assert name.strip()

    # The tenancy sustainment officer sees the same entry with the learning disability in full,
    # reviews it and offers tenancy support.
    officer = browser.new_page()
    sign_in(officer, server, TENANCY_OFFICER)
    _brinnington(officer, server)
    row = _row(officer, name)
    reasons = row.inner_text()
    assert "Learning disability" in reasons and "Rent arrears rising" in reasons
    assert "reported at the address" in reasons
    row.get_by_role("link", name=re.compile("^Review")).click()
    officer.wait_for_url(re.compile(r"/risk/entry/\?"))
    assert serious_accessibility_violations(officer) == []
    officer.get_by_role("radio", name="Offer tenancy support").check()
    officer.get_by_label("Reason for your decision").fill(
        "Arrears rising for three months and ASB at the flat: offer a tenancy sustainment visit"
    )
    officer.get_by_role("button", name="Record the decision").click()
    officer.wait_for_url(re.compile(r"/risk/\?as_of="))
    banner = officer.locator(".govuk-notification-banner").inner_text()
    assert "Your decision to offer tenancy support has been recorded." in banner
    assert serious_accessibility_violations(officer) == []
    # The tenant has left the list, for the officer and for the analyst.
    _brinnington(officer, server)
    assert _row(officer, name).count() == 0
    officer.goto(server.base_url + "/risk/reviews/")
    assert "Arrears rising for three months" in officer.locator("#reviews").inner_text()
    assert serious_accessibility_violations(officer) == []
    officer.close()
    _brinnington(page, server)
    assert _row(page, name).count() == 0

    # The IG officer finds the decision in the audit log.
    ig = browser.new_page()
    sign_in(ig, server, IG)
    ig.goto(server.base_url + "/audit/")
    ig.get_by_label("User").select_option(label="Sam Whitaker")
    ig.locator("#main-content").get_by_role("button", name="Search").click()
    ig.wait_for_url(re.compile(r"/audit/\?"))
    table = ig.locator("table").inner_text()
    assert "top indicators list review: offer tenancy support" in table
    assert "Arrears rising for three months" not in table  # the reason typed is not audited
    assert serious_accessibility_violations(ig) == []
    ig.close()
