"""The whole casework path in a real browser: a police referral becomes a case, is worked and
closed, the referrer sees the outcome, and another agency cannot find it. The police
referrer's warning about a dog is on the case as a banner, and closing a case with an open
task asks what to do with it (issue 14, defects 1 and 2)."""

import datetime
import re

import pytest

from tests.browser.conftest import follow, serious_accessibility_violations, sign_in

pytestmark = pytest.mark.browser

POLICE_REFERRER = "pcso@gmp.demo.safehold.test"
EPO = "epo@homes.demo.safehold.test"
OUTSIDER = (
    "socialworker@asc.demo.safehold.test"  # Adult Social Care: the case is not shared with it
)


class Journey:
    def __init__(self, server, page):
        self.server, self.page, self.checked = server, page, []

    def accessible(self):
        problems = serious_accessibility_violations(self.page)
        assert problems == [], f"axe-core on {self.page.url}: {problems}"
        self.checked.append(self.page.url)

    def sign_in(self, email):
        sign_in(self.page, self.server, email)

    def sign_out(self):
        self.page.get_by_role("button", name="Sign out").click()
        self.page.wait_for_url(re.compile(r"/account/signed-out/$"))

    def button(self, name):
        # The page's own buttons, not the header's (its search box has a Search button too).
        self.page.locator("#main-content").get_by_role("button", name=name, exact=True).click()

    def date(self, prefix, day, month, year):
        self.page.locator(f"#id_{prefix}_day").fill(day)
        self.page.locator(f"#id_{prefix}_month").fill(month)
        self.page.locator(f"#id_{prefix}_year").fill(year)


def test_referral_to_closed_case_and_back_to_the_referrer(server, page):
    j = Journey(server, page)
    today = datetime.date.today()
    d, m, y = str(today.day), str(today.month), str(today.year)
    court_by = today + datetime.timedelta(days=2)

    # 1. A police referrer makes a referral through the question pages.
    j.sign_in(POLICE_REFERRER)
    page.goto(server.base_url + "/cases/referrals/new/")
    j.accessible()
    page.get_by_label("Yes").check()
    j.button("Continue")
    j.accessible()
    page.get_by_label("First name").fill("Robin")
    page.get_by_label("Last name").fill("Journeyman")
    j.button("Continue")
    j.accessible()
    page.get_by_label("Address line 1").fill("12 Test Walk")
    page.get_by_label("Postcode").fill("sk5 7aa")
    j.button("Continue")
    j.accessible()
    page.get_by_label("Unfamiliar people coming and going at all hours").check()
    page.get_by_label("What did you see or hear?").fill(
        "Young men arriving by bike every hour; resident looks scared."
    )
    j.button("Continue")
    page.get_by_label("Property takeover (cuckooing)").check()
    j.button("Continue")
    page.get_by_label("Not known").check()
    j.button("Continue")
    page.get_by_label("Urgent: within 2 working days").check()
    page.get_by_label("Are there any risks to staff visiting? (optional)").fill(
        "A large dog is kept at the address: visit in pairs."
    )
    j.button("Continue")
    page.wait_for_url(re.compile(r"/check/$"))
    j.accessible()
    j.button("Send referral")
    page.wait_for_url(re.compile(r"/sent/$"))
    j.accessible()
    reference = re.search(r"REF-\d{4}-\d{4}", page.content()).group(0)
    j.sign_out()

    # 2. The exploitation protection officer triages it into a case.
    j.sign_in(EPO)
    page.goto(server.base_url + "/cases/triage/")
    j.accessible()
    follow(page.get_by_role("link", name=reference))
    j.accessible()
    page.get_by_label(re.compile(r"^Add as a new person")).check()
    page.get_by_label(re.compile(r"^Add as a new place")).check()
    page.locator("#id_exploitation_type_0").check()
    page.get_by_label("High").check()
    page.get_by_label("Why this risk level?").fill("Dealers present daily; resident frightened.")
    j.button("Accept and open a case")
    page.wait_for_url(re.compile(r"/cases/[0-9a-f-]{36}/$"))
    case_url = page.url
    case_reference = re.search(
        r"EXP-\d{4}-\d{4}", page.locator("h1").evaluate("h => h.previousElementSibling.textContent")
    ).group(0)
    j.accessible()
    # The referrer's warning is a staff-safety banner, and the referral is a link.
    banner = page.locator("#staff-safety")
    assert "Risks to staff visiting" in banner.inner_text()
    assert "A large dog is kept at the address" in banner.inner_text()
    assert page.get_by_role("link", name=f"referral {reference}").first.is_visible()

    # 3. An intervention, an enforcement action and a task.
    follow(page.get_by_role("link", name="Add intervention"))
    j.accessible()
    page.get_by_label("Target hardening").check()
    page.get_by_label("Delivered by").select_option(label="Stockport Homes")
    j.date("started_on", d, m, y)
    j.button("Save")
    page.wait_for_url(case_url)
    follow(page.get_by_role("link", name="Add enforcement"))
    j.accessible()
    page.get_by_label("Closure notice", exact=True).check()
    page.get_by_label("Issued or in force").check()
    page.get_by_label("Agency", exact=True).select_option(label="Greater Manchester Police")
    j.date("started_on", d, m, y)
    page.get_by_label("Time served (closure notices)").fill("09:15")
    j.button("Save")
    page.wait_for_url(case_url)
    court = f"Court hearing due by: {court_by.day} {court_by:%b %Y} 09:15"
    assert court in page.locator("#enforcement + .safehold-table-wrapper table").inner_text()
    page.get_by_role("link", name="Add task").click()
    page.get_by_label("Task").fill("Check the door has been repaired")
    j.date("due_on", d, m, str(today.year + 1))
    j.button("Save")
    page.wait_for_url(case_url)
    assert "Check the door has been repaired" in page.content()
    j.accessible()

    # 4. Close the case: the open task is listed, and closing asks what to do with it.
    follow(page.get_by_role("link", name="Close case"))
    j.accessible()
    assert "Check the door has been repaired" in page.locator("#open-tasks").inner_text()
    page.get_by_label("Positively resolved").check()
    page.get_by_label("Yes", exact=True).check()
    j.date("closed_on", d, m, y)
    j.button("Close case")
    summary = page.locator(".govuk-error-summary")
    assert "Select what should happen to the open tasks" in summary.inner_text()
    j.accessible()
    page.get_by_label("Close them: they are no longer needed").check()
    j.button("Close case")
    page.wait_for_url(case_url)
    assert f"Closed on {today.day} {today:%B %Y}" in page.content()
    assert "Tasks closed with the case: Check the door has been repaired" in page.content()
    j.accessible()
    j.sign_out()

    # 5. The referrer sees the outcome.
    j.sign_in(POLICE_REFERRER)
    page.goto(server.base_url + "/cases/referrals/")
    j.accessible()
    follow(page.get_by_role("link", name=reference))
    j.accessible()
    text = page.locator("main").inner_text()
    assert case_reference in text
    assert re.search(r"[Pp]ositively resolved", text)
    j.sign_out()

    # 6. A user of an agency the case was not shared with cannot find it.
    j.sign_in(OUTSIDER)
    response = page.goto(case_url)
    assert response.status == 404
    j.accessible()
    page.goto(server.base_url + f"/cases/?q={case_reference}")
    assert "0 cases" in page.locator("main").inner_text()
    j.accessible()
    assert len(j.checked) >= 19
