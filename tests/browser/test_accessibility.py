"""Every page a user can reach, checked with axe-core in a real browser (serious or critical
violations fail), including forms showing their errors."""

import re

import pyotp
import pytest

from safehold.demo.partnership import DEMO_PASSWORD
from tests.browser.conftest import CODE_LABEL, follow, serious_accessibility_violations, sign_in

pytestmark = pytest.mark.browser


def check(page, url, problems):
    response = page.goto(url)
    assert response.status == 200, f"{url} answered {response.status}"
    found = serious_accessibility_violations(page)
    if found:
        problems[url] = found


def test_public_pages(server, page):
    problems = {}
    for path in (
        "/account/sign-in/",
        "/signs-of-cuckooing/",
        "/report-a-concern/",
        "/account/signed-out/",
    ):
        check(page, server.base_url + path, problems)
    page.goto(server.base_url + "/report-a-concern/")
    follow(page.get_by_role("button", name=re.compile("Send")))
    assert page.locator(".govuk-error-summary").count() == 1
    found = serious_accessibility_violations(page)
    if found:
        problems["report-a-concern (errors)"] = found
    assert problems == {}


def test_two_factor_pages(server, page):
    """Set-up (with and without an error), the recovery codes, the user's own two-factor page,
    the code page and signing in with a recovery code, for a user signing in the first time."""
    problems = {}

    def sweep(name):
        if found := serious_accessibility_violations(page):
            problems[name] = found

    email = "supervisor@homes.demo.safehold.test"
    # The demo enrols its users' authenticator apps at load: reset one to set it up afresh.
    server.safehold("accounts", "user", "reset-two-factor", email)
    page.goto(server.base_url + "/account/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/account/two-factor/set-up/$"))
    assert page.locator("svg[role=img]").count() == 1
    sweep("set-up")
    page.get_by_label(CODE_LABEL).fill("12")
    follow(page.get_by_role("button", name="Continue"))
    assert "The code must be 6 numbers" in page.locator(".govuk-error-summary").inner_text()
    sweep("set-up (errors)")
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.get_by_label(CODE_LABEL).fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/account/two-factor/recovery-codes/$"))
    recovery_codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(recovery_codes) == 10
    sweep("recovery codes")
    page.get_by_role("button", name="I have saved my recovery codes").click()
    page.wait_for_url(server.base_url + "/")
    check(page, server.base_url + "/account/two-factor/manage/", problems)
    page.get_by_role("button", name="Sign out").click()

    page.goto(server.base_url + "/account/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/account/two-factor/$"))
    sweep("code")
    follow(page.get_by_role("button", name="Continue"))
    assert page.locator(".govuk-error-summary").count() == 1
    sweep("code (errors)")
    page.get_by_role("link", name="Use a recovery code instead").click()
    page.wait_for_url(re.compile(r"/account/two-factor/use-recovery-code/$"))
    sweep("recovery code")
    page.get_by_label("Recovery code").fill(recovery_codes[0])
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(server.base_url + "/")
    assert "You have 9 recovery codes left" in page.locator("main").inner_text()
    sweep("signed in with a recovery code")
    assert problems == {}


def test_casework_pages(server, page):
    problems = {}
    sign_in(page, server, "epo@homes.demo.safehold.test")
    base = server.base_url
    for path in (
        "/", "/cases/", "/cases/?risk=high&sort=-risk", "/cases/triage/", "/cases/tasks/",
        "/cases/tasks/team/", "/cases/asb/", "/cases/import/", "/cases/referrals/",
        "/people/", "/people/add/", "/people/places/", "/people/places/add/",
    ):  # fmt: skip
        check(page, base + path, problems)
    page.goto(base + "/cases/?status=open")
    case = page.locator("table tbody a").first.get_attribute("href")
    check(page, base + case, problems)
    for action in (
        "chronology/add/",
        "interventions/add/",
        "enforcement/add/",
        "tasks/add/",
        "people/add/",
        "risk/",
        "close/",
    ):
        check(page, base + case + action, problems)
    # A form showing its errors.
    page.goto(base + case + "chronology/add/")
    follow(page.get_by_role("button", name="Save"))
    assert page.locator(".govuk-error-summary").count() == 1
    if found := serious_accessibility_violations(page):
        problems["chronology form (errors)"] = found
    page.goto(base + "/cases/triage/")
    referral = page.locator("table tbody a").first.get_attribute("href")
    check(page, base + referral, problems)
    page.goto(base + "/people/")
    person = page.locator("table tbody a").first.get_attribute("href")
    check(page, base + person, problems)
    check(page, base + person + "change/", problems)
    page.goto(base + "/people/places/")
    place = page.locator("table tbody a").first.get_attribute("href")
    check(page, base + place, problems)
    assert problems == {}


def test_governance_pages(server, page):
    problems = {}
    sign_in(page, server, "ig@homes.demo.safehold.test")
    check(page, server.base_url + "/audit/", problems)
    check(
        page,
        server.base_url
        + "/audit/?actor=&record=&date_from_day=1&date_from_month=1&date_from_year=2026",
        problems,
    )
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, server, "admin@homes.demo.safehold.test")
    check(page, server.base_url + "/account/users/", problems)
    # Every demo user has an authenticator app (the demo enrols them): it can be reset.
    page.get_by_role("link", name=re.compile(r"^Reset two-factor for ")).first.click()
    page.wait_for_url(re.compile(r"/account/users/[0-9a-f-]{36}/two-factor/reset/$"))
    if found := serious_accessibility_violations(page):
        problems["reset two-factor"] = found
    # Users, tokens and a leaving caseworker's work, as an administrator manages them.
    for path in ("/account/users/add/", "/account/api-tokens/", "/account/api-tokens/new/"):
        check(page, server.base_url + path, problems)
    page.goto(server.base_url + "/account/users/add/")
    follow(page.get_by_role("button", name="Add user"))
    if found := serious_accessibility_violations(page):
        problems["add a user (errors)"] = found
    for name, url in (("Change role and teams", r"/account/users/[0-9a-f-]{36}/$"),
                      ("Reassign cases and tasks", r"/cases/reassign/[0-9a-f-]{36}/$"),
                      ("Disable", r"/account/users/[0-9a-f-]{36}/disable/$")):  # fmt: skip
        page.goto(server.base_url + "/account/users/")
        page.get_by_role("link", name=re.compile(f"^{name} ")).first.click()
        page.wait_for_url(re.compile(url))
        if found := serious_accessibility_violations(page):
            problems[name] = found
    assert problems == {}


def test_casework_set_up_pages(server, page):
    """Issue 14, defect 0: the administrator's casework set-up pages, and a form's errors."""
    problems = {}
    sign_in(page, server, "admin@homes.demo.safehold.test")
    for path in ("/cases/set-up/", "/cases/set-up/teams/add/", "/cases/set-up/programmes/add/"):
        check(page, server.base_url + path, problems)
    follow(page.get_by_role("button", name="Set up programme"))
    assert page.locator(".govuk-error-summary").count() == 1
    if found := serious_accessibility_violations(page):
        problems["set up a programme (errors)"] = found
    assert problems == {}


def test_uploading_historic_cases_shows_progress_then_the_result(server, page):
    from pathlib import Path

    sign_in(page, server, "epo@homes.demo.safehold.test")
    page.goto(server.base_url + "/cases/import/")
    fixture = Path(__file__).resolve().parents[2] / "safehold/cases/tests/data/historic_cases.csv"
    page.set_input_files("input[type=file]", str(fixture))
    page.get_by_role("button", name="Check and import").click()
    page.wait_for_url(re.compile(r"/cases/import/[0-9a-f-]{36}/$"))
    # The import runs in a background thread; the page polls itself (htmx) until it is done,
    # then reloads to show the result.
    page.wait_for_selector(".govuk-panel--confirmation", timeout=30_000)
    assert "Import complete" in page.locator("main").inner_text()
    assert serious_accessibility_violations(page) == []


def test_information_governance_and_report_pages(server, page):
    problems = {}
    sign_in(page, server, "ig@council.demo.safehold.test")
    for path in (
        "/governance/", "/governance/subject-access/", "/governance/holds/", "/governance/retention/",
        "/governance/retention/policies/", "/governance/erasures/", "/monitoring/alerts/",
        "/sharing/agreements/", "/sharing/record-of-processing/", "/sharing/who-else/",
        "/reports/evaluation/",
        "/reports/evaluation/?date_from_day=1&date_from_month=1&date_from_year=2025"
        "&date_to_day=31&date_to_month=12&date_to_year=2026",
        "/partners/extracts/", "/partners/extracts/upload/",
    ):  # fmt: skip
        check(page, server.base_url + path, problems)
    assert problems == {}


def test_the_evaluation_report_with_the_demo_cases(server, page):
    problems = {}
    sign_in(page, server, "supervisor@homes.demo.safehold.test")
    url = (
        "/reports/evaluation/?date_from_day=1&date_from_month=1&date_from_year=2025"
        "&date_to_day=31&date_to_month=12&date_to_year=2026"
    )
    check(page, server.base_url + url, problems)
    assert page.locator("svg").count() >= 3
    assert (
        "Cases received" in page.locator("main").inner_text()
        or "cases received" in page.locator("main").inner_text()
    )
    check(page, server.base_url + "/reports/evaluation/settings/", problems)
    assert problems == {}


def test_performance_pages(server, page):
    """The board report (with and without a period), the indicator and value pages, the forms
    (showing their errors), the import page and a theme's narrative, as a performance officer."""
    problems = {}

    def sweep(name):
        if found := serious_accessibility_violations(page):
            problems[name] = found

    sign_in(page, server, "performance@council.demo.safehold.test")
    base = server.base_url + "/performance/"
    for path in ("", "?period=2016%2F17", "indicators/", "indicators/add/", "import/"):
        check(page, base + path, problems)
    page.goto(base + "?period=2016%2F17")
    assert page.locator("svg.performance-chart").count() == 17
    narrative = page.get_by_role("link", name=re.compile("the narrative")).first
    check(page, server.base_url + narrative.get_attribute("href"), problems)
    page.goto(base + "indicators/")
    indicator = server.base_url + page.locator("table tbody a").first.get_attribute("href")
    for suffix in ("", "change/", "values/add/"):
        check(page, indicator + suffix, problems)
    page.goto(indicator)
    check(
        page, server.base_url + page.locator("table tbody a").first.get_attribute("href"), problems
    )
    page.goto(indicator + "values/add/")
    page.get_by_label("Value", exact=True).fill("lots")
    follow(page.get_by_role("button", name="Save value"))
    assert page.locator(".govuk-error-summary").count() == 1
    sweep("value form (errors)")
    page.goto(base + "import/")
    follow(page.get_by_role("button", name="Check and import"))
    assert page.locator(".govuk-error-summary").count() == 1
    sweep("import (errors)")
    page.goto(base + "?period=2016%2F17&format=print")
    sweep("printable board report")


def test_crime_and_asb_pages(server, page):
    """The incident log pages with the demo log, a filter showing its error, and the map; the
    police.uk pages (what is loaded, with the demo's burglaries, and the upload)."""
    problems = {}
    sign_in(page, server, "performance@council.demo.safehold.test")
    base = server.base_url + "/crime/incidents/"
    for path in (
        "", "peak-times/", "peak-times/?types=Noise&sources=Stockport+Homes+ASB+team+%28demo%29",
        "seasons/", "hot-spots/", "hot-spots/?cell_size=500&radius=2&area=incidents",
        "print/", "upload/",
    ):  # fmt: skip
        check(page, base + path, problems)
    page.goto(base + "hot-spots/")
    page.wait_for_selector(".crime-map__canvas.leaflet-container")
    if found := serious_accessibility_violations(page):
        problems["hot spots (map drawn)"] = found
    for path in ("/crime/police/", "/crime/police/upload/"):
        check(page, server.base_url + path, problems)
    response = page.goto(
        base + "peak-times/?date_from_day=1&date_from_month=3&date_from_year=2025"
        "&date_to_day=1&date_to_month=2&date_to_year=2025"
    )
    assert response.status == 400
    assert page.locator(".govuk-error-summary").count() == 1
    if found := serious_accessibility_violations(page):
        problems["peak times (filter errors)"] = found
    assert problems == {}


def test_police_crime_pages(server, page):
    """The police.uk dashboard, its printable view, every analysis page (with options), a
    ward's locality report, and a filter showing its error, with Stockport's burglaries."""
    server.safehold("crime", "import", "safehold/crime/data/stockport_burglary_2016-02_2019-01.zip")
    problems = {}
    sign_in(page, server, "ig@council.demo.safehold.test")
    base = server.base_url + "/crime/"
    for path in (
        "", "?area=E05000791&measure=count&crime_type=Burglary", "print/",
        "analyses/counts/", "analyses/counts/?group_by=ward&group_by=month&page=2",
        "analyses/trend/", "analyses/comparison/", "analyses/top-areas/?level=lsoa",
        "analyses/seasonal/", "analyses/repeat-locations/",
        "analyses/hot-spots/?cell_size=500&radius=2&alpha=0.05&study_area=points",
        "wards/E05000791/report/",
        "before-after/", "before-after/?area=E05000791&date=2018-06-14",
    ):  # fmt: skip
        check(page, base + path, problems)
    page.goto(base)
    page.wait_for_selector("#hotspot-map.leaflet-container")
    if found := serious_accessibility_violations(page):
        problems["dashboard (maps drawn)"] = found
    response = page.goto(base + "?from=2019-01&to=2018-01")
    assert response.status == 400
    assert page.locator(".govuk-error-summary").count() == 1
    if found := serious_accessibility_violations(page):
        problems["dashboard (filter errors)"] = found
    response = page.goto(base + "before-after/?area=E08000007&date=2018-06-14")
    assert response.status == 400
    assert page.locator(".govuk-error-summary").count() == 1
    if found := serious_accessibility_violations(page):
        problems["before and after (errors)"] = found
    assert problems == {}


def test_linkage_pages(server, page):
    """The demo's linkage run: the overview, the review queue, a pair's page (waterfall, table,
    form, and its errors), the decisions and the fairness report."""
    problems = {}
    # The demo run leaves pairs of two police records for review: the police analyst's.
    sign_in(page, server, "analyst@gmp.demo.safehold.test")
    for path in ("/linkage/", "/linkage/review/", "/linkage/decisions/", "/linkage/fairness/"):
        check(page, server.base_url + path, problems)
    page.goto(server.base_url + "/linkage/review/")
    pairs = page.locator("#queue tbody tr a")
    assert pairs.count() >= 1
    check(page, server.base_url + pairs.first.get_attribute("href"), problems)
    follow(page.get_by_role("button", name="Record the decision"))
    assert page.locator(".govuk-error-summary").count() == 1
    found = serious_accessibility_violations(page)
    if found:
        problems["pair (errors)"] = found
    assert problems == {}


def test_risk_pages(server, page, browser):
    """The top indicators list for Brinnington, an entry's review (and its errors), the
    decisions made, and the indicators page with its form (and its errors)."""
    problems = {}
    sign_in(page, server, "tenancy@homes.demo.safehold.test")
    check(page, server.base_url + "/risk/?area=Brinnington", problems)
    check(page, server.base_url + "/risk/?area=Nowhere", problems)
    entry = page.goto(server.base_url + "/risk/?area=Brinnington")
    assert entry.status == 200
    check(
        page,
        server.base_url + page.locator("#entries tbody tr a").first.get_attribute("href"),
        problems,
    )
    follow(page.get_by_role("button", name="Record the decision"))
    assert page.locator(".govuk-error-summary").count() == 1
    found = serious_accessibility_violations(page)
    if found:
        problems["entry (errors)"] = found
    check(page, server.base_url + "/risk/reviews/", problems)
    admin = browser.new_page()
    sign_in(admin, server, "admin@homes.demo.safehold.test")
    check(admin, server.base_url + "/risk/indicators/", problems)
    follow(admin.get_by_role("button", name="Save a new version"))
    assert admin.locator(".govuk-error-summary").count() == 1
    found = serious_accessibility_violations(admin)
    if found:
        problems["indicators (errors)"] = found
    admin.close()
    assert problems == {}
