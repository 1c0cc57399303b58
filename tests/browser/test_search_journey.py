"""The header search, as a caseworker uses it: a case found by its reference and a person by
their name, from the box on every page, each result a link to the record."""

import re

import pytest

from safehold.demo.partnership import USERS
from tests.browser.conftest import serious_accessibility_violations, sign_in

pytestmark = pytest.mark.browser
EPO = USERS[0]  # the exploitation protection officer


def search(page, words: str) -> None:
    box = page.get_by_label("Search cases, people, places and referrals")
    box.fill(words)
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))


def test_the_header_search_finds_a_case_by_reference_and_a_person_by_name(server, page):
    sign_in(page, server, EPO.email)
    page.goto(server.base_url + "/cases/")
    reference = page.locator("table.govuk-table tbody a").first.inner_text()
    search(page, reference)
    assert serious_accessibility_violations(page) == []
    page.locator("#cases + .safehold-table-wrapper").get_by_role("link", name=reference).click()
    page.wait_for_url(re.compile(r"/cases/[0-9a-f-]{36}/$"))
    assert reference in page.locator("main").inner_text()

    page.goto(server.base_url + "/people/")
    name = page.locator("table.govuk-table tbody a").first.inner_text()
    family, given = (part.strip() for part in name.split(","))
    search(page, f"{given} {family}")
    page.get_by_role("link", name=name).first.click()
    page.wait_for_url(re.compile(r"/people/[0-9a-f-]{36}/$"))
    assert page.locator("h1").inner_text() == f"{given} {family}"
