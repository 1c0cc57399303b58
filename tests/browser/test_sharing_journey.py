"""Information sharing in a real browser (the issue's acceptance test): housing shares a case
with the police by name only under the partnership's live agreement; the police find who else is
working with the person and ask for the record; housing approves; the police open the case;
housing stops sharing and the police's very next page load is a 404."""

import re

import pytest

from tests.browser.conftest import serious_accessibility_violations, sign_in

pytestmark = pytest.mark.browser

EPO = "epo@homes.demo.safehold.test"  # Stockport Homes caseworker, holds the case
PC = "pc@gmp.demo.safehold.test"  # Greater Manchester Police caseworker
IG = "ig@council.demo.safehold.test"  # Stockport Council manages the agreement
AGREEMENT = "Stockport Community Safety Partnership information sharing agreement"


class User:
    """One person in their own browser context, so two can work side by side."""

    def __init__(self, server, browser, email):
        self.server, self.context = server, browser.new_context()
        self.context.set_default_timeout(10_000)
        self.page = self.context.new_page()
        sign_in(self.page, server, email)

    def goto(self, path_or_url: str, status: int = 200):
        url = path_or_url if path_or_url.startswith("http") else self.server.base_url + path_or_url
        response = self.page.goto(url)
        assert response.status == status, f"{url} answered {response.status}"

    def accessible(self):
        problems = serious_accessibility_violations(self.page)
        assert problems == [], f"axe-core on {self.page.url}: {problems}"

    def button(self, name):
        # The page's own buttons, not the header's (its search box has a Search button too).
        self.page.locator("#main-content").get_by_role("button", name=name, exact=True).click()

    def close(self):
        self.context.close()


@pytest.fixture
def users(server, browser):
    made = []

    def make(email):
        made.append(User(server, browser, email))
        return made[-1]

    yield make
    for user in made:
        user.close()


def test_share_by_name_find_request_approve_open_and_stop_sharing(server, users):
    housing, police = users(EPO), users(PC)

    # 1. Housing shares an open case with the police, name only, from the case page.
    housing.goto("/cases/?status=open")
    housing.page.locator("table tbody a").first.click()
    housing.page.wait_for_url(re.compile(r"/cases/[0-9a-f-]{36}/$"))
    case_url = housing.page.url
    name = housing.page.locator("h1").evaluate("h => h.firstChild.textContent").strip()
    family_name = name.split()[-1]
    housing.page.get_by_role("link", name="Share this case").click()
    housing.page.wait_for_url(re.compile(r"/sharing/cases/[0-9a-f-]{36}/share/$"))
    housing.accessible()
    housing.button("Share")  # nothing chosen: the errors, then the real thing
    assert housing.page.locator(".govuk-error-summary").count() == 1
    housing.accessible()
    housing.page.get_by_label("Who do you want to share it with?").select_option(
        label="Greater Manchester Police"
    )
    housing.page.get_by_label(re.compile(f"^{AGREEMENT}")).check()
    housing.page.get_by_label("Name and agencies involved only").check()
    housing.page.get_by_label("Why are you sharing it?").fill(
        "So the police know we are working with this person"
    )
    housing.button("Share")
    housing.page.wait_for_url(case_url)
    shared = housing.page.locator("#sharing ~ .safehold-table-wrapper table").first.inner_text()
    assert "Greater Manchester Police" in shared and "Name and agencies involved only" in shared
    housing.accessible()

    # 2. The police cannot open the case, but find who else is working with the person.
    police.goto(case_url, status=404)
    police.page.get_by_role("link", name="Sharing").first.click()
    police.page.wait_for_url(re.compile(r"/sharing/who-else/$"))
    police.accessible()
    police.button("Search")  # no name: an error, and nothing searched
    assert police.page.locator(".govuk-error-summary").count() == 1
    police.accessible()
    police.page.get_by_label("Name", exact=True).fill(family_name)
    police.button("Search")
    police.page.wait_for_url(re.compile(r"/sharing/who-else/\?q="))
    card = police.page.locator(".govuk-summary-card", has_text=name)
    assert "Stockport Homes is working with this person" in card.inner_text()
    assert "Jordan Hale" in card.inner_text()  # whom to contact
    police.accessible()

    # 3. They ask for the full record.
    card.get_by_role("link", name=re.compile("^Request access")).click()
    police.page.wait_for_url(re.compile(r"/request/$"))
    police.accessible()
    police.page.get_by_label("Why do you need the full record?").fill(
        "Joint visit with the neighbourhood team next week"
    )
    police.button("Send request")
    police.page.wait_for_url(re.compile(r"/sharing/requests/sent/$"))
    assert "Waiting for a decision" in police.page.locator("table").inner_text()
    police.accessible()

    # 4. Housing approves under the partnership's agreement (the demo's Crime Concordat between
    # the landlord and the police is live too: the officer chooses).
    housing.goto("/sharing/requests/")
    housing.accessible()
    row = housing.page.locator("tr", has_text="Joint visit with the neighbourhood team")
    row.get_by_role("link", name=re.compile("^Approve")).click()
    housing.page.wait_for_url(re.compile(r"/approve/$"))
    housing.accessible()
    housing.page.get_by_label(re.compile(f"^{AGREEMENT}")).check()
    housing.button("Approve and share the full record")
    housing.page.wait_for_url(re.compile(r"/sharing/requests/$"))

    # 5. The police now open the case and see who shared it, under what and why. Given it in
    # full, they may add to its chronology (issue 14, item 20), and change nothing else.
    police.goto("/sharing/requests/sent/")
    assert "Approved" in police.page.locator("table").inner_text()
    police.goto(case_url)
    assert (
        f"Shared with your organisation by Stockport Homes under “{AGREEMENT}”"
        in police.page.content()
    )
    assert "Reason for sharing:" in police.page.content()
    assert "Joint visit with the neighbourhood team next week" in police.page.content()
    assert police.page.get_by_role("link", name="Add to chronology").count() == 1
    assert police.page.get_by_role("link", name="Close case").count() == 0
    police.accessible()

    # 6. Housing stops sharing the full record.
    housing.goto(case_url)
    housing.page.get_by_role(
        "link", name="Stop sharing with Greater Manchester Police (full record)"
    ).click()
    housing.page.wait_for_url(re.compile(r"/sharing/disclosures/[0-9a-f-]{36}/stop/$"))
    housing.accessible()
    housing.page.get_by_label("Why are you stopping sharing?").fill("Joint visit done")
    housing.button("Stop sharing")
    housing.page.wait_for_url(case_url)
    assert (
        "Stopped"
        in housing.page.locator("#sharing ~ .safehold-table-wrapper table").first.inner_text()
    )

    # 7. The police's very next page load of the case is a 404.
    police.goto(case_url, status=404)


def test_agreements_and_the_record_of_processing(server, users):
    ig = users(IG)
    # Agreements are a part of Sharing (its sub-navigation), not a menu item of their own.
    ig.page.get_by_role("link", name="Sharing", exact=True).first.click()
    ig.page.get_by_role("link", name="Agreements").first.click()
    ig.page.wait_for_url(re.compile(r"/sharing/agreements/$"))
    row = ig.page.locator("tr", has_text=AGREEMENT)
    assert "Live" in row.inner_text()
    ig.accessible()
    row.get_by_role("link", name=AGREEMENT).click()
    ig.page.wait_for_url(re.compile(r"/sharing/agreements/[0-9a-f-]{36}/$"))
    agreement_url = ig.page.url
    page = ig.page.content()
    for text in ("Crime and Disorder Act 1998, section 115", "Carol Ashworth", "1 April 2027"):
        assert text in page
    ig.accessible()
    for path in ("signatories/add/", "dates/", "document/upload/"):
        ig.goto(agreement_url + path)
        ig.accessible()
    ig.goto("/sharing/agreements/add/")
    ig.accessible()
    ig.button("Save agreement")
    assert ig.page.locator(".govuk-error-summary").count() == 1
    ig.accessible()
    ig.goto("/sharing/record-of-processing/")
    assert AGREEMENT in ig.page.content() and "See retention schedule" in ig.page.content()
    ig.accessible()
    response = ig.page.request.get(server.base_url + "/sharing/record-of-processing.pdf")
    assert response.ok and response.body().startswith(b"%PDF")
