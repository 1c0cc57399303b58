"""The partnership meeting pages with the demo's meetings, checked with axe-core (serious or
critical violations fail), forms included with their errors, and no page wider than a phone."""

import pytest

from tests.browser.conftest import follow, serious_accessibility_violations, sign_in

pytestmark = pytest.mark.browser


def test_meeting_pages_for_the_chair_and_an_attending_agency(server, page):
    problems = {}

    def check(url):
        response = page.goto(server.base_url + url)
        assert response.status == 200, f"{url} answered {response.status}"
        if found := serious_accessibility_violations(page):
            problems[url] = found

    sign_in(page, server, "admin@council.demo.safehold.test")
    check("/meetings/")
    check("/meetings/my-actions/")
    page.goto(server.base_url + "/meetings/")
    schedule = page.get_by_role("link", name="Schedule a meeting").first.get_attribute("href")
    check(schedule)
    follow(page.get_by_role("button", name="Schedule the meeting"))
    assert page.locator(".govuk-error-summary").count() == 1
    if found := serious_accessibility_violations(page):
        problems["schedule (errors)"] = found
    page.goto(server.base_url + "/meetings/")
    meeting = page.locator("main ul.govuk-list a").first.get_attribute("href")
    for tab in (
        "",
        "agenda/",
        "minutes/",
        "actions/",
        "items/add/",
        "actions/add/",
        "close/",
        "flag/",
    ):
        check(meeting + tab)
    page.goto(server.base_url + meeting + "actions/add/")
    follow(page.get_by_role("button", name="Add the action"))
    assert page.locator(".govuk-error-summary").count() == 1
    if found := serious_accessibility_violations(page):
        problems["action form (errors)"] = found
    page.goto(server.base_url + meeting + "minutes/")
    minute = page.get_by_role("link", name="the minutes").first.get_attribute("href")
    check(minute)
    page.set_viewport_size({"width": 390, "height": 800})
    for tab in ("", "agenda/", "minutes/", "actions/"):
        page.goto(server.base_url + meeting + tab)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{meeting + tab} is {width}px wide on a phone"
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, server, "pc@gmp.demo.safehold.test")
    check(meeting + "agenda/")
    check("/meetings/my-actions/")
    assert problems == {}
