"""The "Build the application bundle" page of the demo's closure order in a real browser:
axe-core finds no serious problem with it, with its errors or without, it fits a phone
(both checked by `serious_accessibility_violations`), and sending it downloads the PDF."""

import pytest

from tests.browser.conftest import follow, serious_accessibility_violations, sign_in

pytestmark = pytest.mark.browser

FIND_ORDER = (
    "from safehold.cases.models import EnforcementAction as E; "
    "print(E.objects.get(kind='full_closure_order', notes__startswith='Demo closure order').pk)"
)


def test_the_bundle_page_of_the_demo_closure_order(server, page):
    sign_in(page, server, "epo@homes.demo.safehold.test")
    order = server.safehold("shell", "-c", FIND_ORDER).split()[-1]  # after any banner
    url = f"{server.base_url}/enforcement/{order}/bundle/"
    assert page.goto(url).status == 200
    problems = {}
    if found := serious_accessibility_violations(page):
        problems["bundle page"] = found
    assert not page.get_by_label("The court").is_checked()  # nobody is chosen for the user
    follow(page.get_by_role("button", name="Build and download the bundle (PDF)"))
    assert page.locator(".govuk-error-summary").count() == 1
    if found := serious_accessibility_violations(page):
        problems["bundle page (errors)"] = found
    assert problems == {}  # axe-core, and the page fits a 390 px phone (layout_problems)
    page.get_by_label("The court").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Build and download the bundle (PDF)").click()
    assert download.value.suggested_filename.startswith("bundle-")
    assert download.value.suggested_filename.endswith(".pdf")
