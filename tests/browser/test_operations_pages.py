"""The operations pages in a real browser: axe-core (serious or critical violations fail) and
the layout at 390 px and 1280 px, on the demo's Mottram Estate warrants day, with a form
showing its errors."""

import pytest

from tests.browser.conftest import follow, serious_accessibility_violations, sign_in
from tests.browser.test_accessibility import check

pytestmark = pytest.mark.browser


def test_operations_pages(server, page):
    problems = {}
    sign_in(page, server, "pc@gmp.demo.safehold.test")
    base = server.base_url
    for path in ("/operations/", "/operations/plan/", "/operations/summary/"):
        check(page, base + path, problems)
    page.goto(base + "/operations/")
    operation = page.get_by_role("link", name="Operation Harrier").get_attribute("href")
    for action in ("", "targets/?q=Larkhill", "results/", "referral/", "closure-notice/"):
        check(page, base + operation + action, problems)
    page.goto(base + "/operations/plan/")
    follow(page.get_by_role("button", name="Plan operation"))
    assert page.locator(".govuk-error-summary").count() == 1
    if found := serious_accessibility_violations(page):
        problems["plan form (errors)"] = found
    assert problems == {}
