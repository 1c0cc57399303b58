"""My work, notifications and the deadlines calendar in a real browser (issue 14, items 14 to
16): a caseworker's home shows their cases and deadlines; when Stockport Homes shares a case
with the police, a police caseworker sees the count in the header, the notice in their list
and opens the case from it. Every new page is swept with axe-core on the way."""

import re

import pytest

from tests.browser.conftest import follow, serious_accessibility_violations
from tests.browser.test_sharing_journey import AGREEMENT, EPO, PC, users  # noqa: F401

pytestmark = pytest.mark.browser


def test_my_work_and_a_notification_when_a_share_arrives(server, users):  # noqa: F811
    housing = users(EPO)
    problems = {}

    def sweep(user, name):
        if found := serious_accessibility_violations(user.page):
            problems[name] = found

    # 1. The caseworker's home is their work: their open cases with the next deadline, tasks.
    housing.goto("/")
    assert housing.page.locator("h1").inner_text() == "Your work"
    cases = housing.page.get_by_test_id("my-cases")
    assert cases.locator("tbody tr").count() > 0
    assert re.search(r"\d{1,2} \w{3} 20\d\d", cases.inner_text())  # a deadline, as a date
    assert housing.page.get_by_test_id("my-tasks").locator("li").count() > 0
    # The demo's partial closure order ends within the fortnight.
    soon = housing.page.get_by_test_id("enforcement-deadlines")
    assert "Order ends" in soon.inner_text()
    sweep(housing, "home")

    # 2. The deadlines calendar, and the page that makes its secret address.
    housing.page.get_by_role("link", name="Your deadlines calendar").click()
    housing.page.wait_for_url(re.compile(r"/cases/calendar/$"))
    assert housing.page.get_by_test_id("calendar-day").count() > 0
    sweep(housing, "calendar")
    follow(housing.page.get_by_role("link", name="Next month"))
    sweep(housing, "calendar, next month")
    housing.goto("/cases/calendar/address/")
    sweep(housing, "calendar address")
    housing.button("Make an address")
    address = housing.page.get_by_test_id("feed-address").inner_text()
    assert "/cases/calendar/feed.ics?token=" in address
    sweep(housing, "calendar address, made")
    feed = housing.context.request.get(address)
    assert feed.status == 200 and feed.text().startswith("BEGIN:VCALENDAR")
    housing.button("Stop the address")
    assert housing.context.request.get(address).status == 404

    # 3. Housing shares an open case with the police in full (the last on the page: the
    # sharing journey shares the first by name only and expects the police not to open it).
    housing.goto("/cases/?status=open")
    housing.page.locator("table tbody a").last.click()
    housing.page.wait_for_url(re.compile(r"/cases/[0-9a-f-]{36}/$"))
    case_url = housing.page.url
    reference = re.search(r"[A-Z]+-\d{4}-\d{4}", housing.page.locator("main").inner_text())[0]

    def notices_about_the_case(police) -> int:
        police.goto("/notifications/")
        name = re.compile(f"^Case {reference}, shared by")
        return police.page.get_by_role("link", name=name).count()

    police = users(PC)
    before = notices_about_the_case(police)  # the demo may have shared this case already
    housing.page.get_by_role("link", name="Share this case").click()
    housing.page.get_by_label("Who do you want to share it with?").select_option(
        label="Greater Manchester Police"
    )
    housing.page.get_by_label(re.compile(f"^{AGREEMENT}")).check()
    housing.page.get_by_label("Full record").check()
    housing.page.get_by_label("Why are you sharing it?").fill("Joint visit next week")
    housing.button("Share")
    housing.page.wait_for_url(case_url)

    # 4. A police caseworker sees the count in the header, and the new notice in their list.
    police.goto("/")
    count = police.page.get_by_test_id("unread-count")
    assert count.count() == 1 and int(count.inner_text().split()[0]) >= 1
    sweep(police, "home with a notice")
    police.page.get_by_role("link", name=re.compile("^Notifications")).click()
    police.page.wait_for_url(re.compile(r"/notifications/$"))
    link = police.page.get_by_role("link", name=re.compile(f"^Case {reference}, shared by"))
    assert link.count() == before + 1
    sweep(police, "notifications")
    link.first.click()
    police.page.wait_for_url(case_url)
    # Opened: nothing unread any more.
    police.goto("/")
    assert police.page.get_by_test_id("unread-count").count() == 0
    assert reference in police.page.get_by_test_id("new-shares").inner_text()

    # 5. The e-mail choices page.
    police.goto("/notifications/preferences/")
    sweep(police, "preferences")
    police.page.get_by_label("A task was assigned to you").uncheck()
    police.button("Save your choices")
    police.page.wait_for_url(re.compile(r"/notifications/$"))
    police.goto("/notifications/preferences/")
    assert not police.page.get_by_label("A task was assigned to you").is_checked()
    assert problems == {}
