import re

import pytest

from safehold.demo.partnership import USERS
from tests.browser.conftest import follow, serious_accessibility_violations, sign_in

pytestmark = pytest.mark.browser
EPO = USERS[0]  # the exploitation protection officer


def check_accessible(page, visited: list[str]) -> None:
    visited.append(page.url)
    problems = serious_accessibility_violations(page)
    assert problems == [], f"axe-core on {page.url}: {problems}"


def count_events(server, after: int, **filters) -> int:
    code = (
        "from safehold.audit.models import AuditEvent as E; "
        f"print(E.objects.filter(id__gt={after}, **{filters!r}).count())"
    )
    return int(server.safehold("shell", "--verbosity", "0", "-c", code).split()[-1])


def test_sign_in_open_a_person_and_sign_out(server, page):
    visited: list[str] = []
    code = "from safehold.audit.models import AuditChainHead as H; print(H.objects.get().last_event_id)"
    start = int(server.safehold("shell", "--verbosity", "0", "-c", code).split()[-1])
    page.goto(server.base_url + "/")
    assert "/account/sign-in/" in page.url
    check_accessible(page, visited)

    # A wrong password first: the error summary appears and is accessible.
    page.get_by_label("Email address").fill(EPO.email)
    page.get_by_label("Password").fill("not-the-password")
    follow(page.get_by_role("button", name="Sign in"))
    assert page.locator(".govuk-error-summary").inner_text().startswith("There is a problem")
    check_accessible(page, visited)

    sign_in(page, server, EPO.email)  # the password, then two-factor sign-in
    assert EPO.full_name in page.locator("h1 + p").inner_text()
    check_accessible(page, visited)

    page.get_by_role("link", name="People").first.click()
    page.wait_for_url(re.compile(r"/people/$"))
    check_accessible(page, visited)

    first = page.locator("table.govuk-table tbody a").first
    name = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/people/[0-9a-f-]{36}/$"))
    person_id = page.url.rstrip("/").rsplit("/", 1)[1]
    family, given = (part.strip() for part in name.split(","))
    assert page.locator("h1").inner_text() == f"{given} {family}"
    check_accessible(page, visited)

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/account/signed-out/$"))
    assert page.locator("h1").inner_text() == "You have signed out"
    check_accessible(page, visited)

    # Signed out means signed out: the person's page now asks for sign-in.
    page.goto(f"{server.base_url}/people/{person_id}/")
    assert "/account/sign-in/" in page.url

    # The server recorded what happened, in an intact chain.
    assert "Audit chain intact" in server.safehold("audit", "verify")
    # One view of the person's page (its event names their cases and addresses after them).
    viewed = {"object_ids__startswith": person_id, "purpose": "view person"}
    assert count_events(server, start, action="consult", **viewed) == 1
    assert count_events(server, start, action="login_failed") == 1
    assert count_events(server, start, action="logout") == 1
    assert len(visited) == 6
