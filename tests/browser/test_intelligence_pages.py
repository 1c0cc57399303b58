"""The intelligence pages in a real browser (issue 16, item 1): the landlord's exploitation
officer submits intelligence naming a phone and a place (the form first showing its errors)
and sees its status; the GMP analyst finds it in the queue, grades and sanitises it; the
landlord still sees the status only and the council sees the sanitised text. Every page
checked with axe-core (serious or critical violations fail) and at 390 px and 1280 px."""

import re

import pytest

from tests.browser.conftest import follow, serious_accessibility_violations, sign_in

pytestmark = pytest.mark.browser

WHAT = "Qbrowser: a man with a burner phone calling at the flat"
SANITISED = "Qsanitised: drug supply suspected at a Stockport Homes address"


def fill_and_submit(page, what: str, day_month_year: str, *, phone: str) -> None:
    """The submission form, witnessed, on a date ("1/3/2026"), naming one phone; submitted."""
    day, month, year = day_month_year.split("/")
    page.get_by_label("What happened, or what do you know?").fill(what)
    page.locator("#id_occurred_on_day").fill(day)
    page.locator("#id_occurred_on_month").fill(month)
    page.locator("#id_occurred_on_year").fill(year)
    page.get_by_label("Witnessed it").check()
    page.get_by_label("Mention 1: what is it?").select_option("phone")
    page.get_by_label("Mention 1: as you know it").fill(phone)
    page.get_by_role("button", name="Submit intelligence").click()


def grade_2bp(page, sanitised: str) -> None:
    """The assessment form: 2/B/P with this sanitised text; saved."""
    page.get_by_label("2: Untested").check()
    page.get_by_label("B: Known indirectly to the source, but corroborated").check()
    page.get_by_label("P: Lawful sharing permitted", exact=True).check()
    page.get_by_label("Sanitised text").fill(sanitised)
    page.get_by_role("button", name="Save the assessment").click()


def test_submit_grade_and_share_intelligence(server, page):
    problems = {}

    def sweep(name):
        if found := serious_accessibility_violations(page):
            problems[name] = found

    def check(url):
        response = page.goto(server.base_url + url)
        assert response.status == 200, f"{url} answered {response.status}"
        sweep(url)

    def switch_to(email):
        page.goto(server.base_url + "/")
        page.get_by_role("button", name="Sign out").click()
        sign_in(page, server, email)

    sign_in(page, server, "epo@homes.demo.safehold.test")
    check("/intelligence/")
    check("/intelligence/submit/")
    follow(page.get_by_role("button", name="Submit intelligence"))
    assert page.locator(".govuk-error-summary").count() == 1
    sweep("submit (errors)")
    fill_and_submit(page, WHAT, "1/3/2026", phone="07700 900 999")
    page.wait_for_url(re.compile(r"/intelligence/[0-9a-f-]+/$"))
    detail = page.url
    reference = page.locator("h1").inner_text()
    assert "Submitted" in page.locator("main").inner_text()
    assert WHAT not in page.locator("main").inner_text()
    sweep("submitted (status)")

    switch_to("analyst@gmp.demo.safehold.test")
    check("/intelligence/assess/")
    follow(page.get_by_role("link", name=reference))
    assert WHAT in page.locator("main").inner_text()
    sweep("detail (police)")
    page.get_by_role("button", name="Start assessment").click()
    page.wait_for_url(re.compile(r"/assess/$"))
    follow(page.get_by_role("button", name="Save the assessment"))
    assert page.locator(".govuk-error-summary").count() == 1
    sweep("assess (errors)")
    grade_2bp(page, SANITISED)
    page.wait_for_url(detail)
    assert "2/B/P" in page.locator("main").inner_text()
    sweep("detail (graded)")

    switch_to("epo@homes.demo.safehold.test")
    page.goto(detail)
    text = page.locator("main").inner_text()
    assert "Graded" in text and "2/B/P" not in text and SANITISED not in text

    switch_to("admin@council.demo.safehold.test")
    check("/intelligence/")
    page.goto(detail)
    assert SANITISED in page.locator("main").inner_text()
    assert WHAT not in page.locator("main").inner_text()
    sweep("detail (partner)")
    assert problems == {}
