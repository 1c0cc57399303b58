"""The top indicators list's backtest and fairness report pages in a real browser, checked with
axe-core (serious or critical violations fail), the backtest's form with its errors too."""

import pytest

from tests.browser.conftest import serious_accessibility_violations, sign_in

pytestmark = pytest.mark.browser


def test_the_backtest_and_fairness_pages_are_accessible(server, page):
    problems = {}
    sign_in(page, server, "analyst@gmp.demo.safehold.test")
    for path in (
        "/risk/backtest/",
        "/risk/backtest/?first=2025-01&last=2025-06&horizon=6",
        "/risk/backtest/?first=2025-13&last=2025-06&horizon=6",
        "/risk/fairness/",
        "/risk/fairness/?as_of=2026-06-30&with_backtest=on",
    ):
        response = page.goto(server.base_url + path)
        assert response.status == 200, f"{path} answered {response.status}"
        found = serious_accessibility_violations(page)
        if found:
            problems[path] = found
    page.goto(server.base_url + "/risk/backtest/?first=2025-13&last=2025-06&horizon=6")
    assert page.locator(".govuk-error-summary").count() == 1
    page.goto(server.base_url + "/risk/fairness/")
    assert page.get_by_role("heading", name="The method and its limits").count() == 1
    assert problems == {}
