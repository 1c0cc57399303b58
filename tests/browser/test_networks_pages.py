"""The organised crime pages in a real browser: axe-core (serious or critical violations fail)
and the layout at 390 px and 1280 px (the analyst's menu, with "Organised crime", on one line),
walked by a police officer profiling a group, with its forms showing their errors, then the
link chart around the demo's county line phone, the analysis, the intelligence gaps and the path
form."""

import re

import pytest

from tests.browser.conftest import follow, serious_accessibility_violations, sign_in
from tests.browser.test_accessibility import check

pytestmark = pytest.mark.browser


def test_networks_pages(server, page):
    problems = {}

    def sweep(name):
        if found := serious_accessibility_violations(page):
            problems[name] = found

    base = server.base_url
    sign_in(page, server, "pc@gmp.demo.safehold.test")
    for path in ("/networks/", "/networks/groups/new/", "/networks/objects/new/",
                 "/networks/events/new/", "/networks/links/new/?q=a"):  # fmt: skip
        check(page, base + path, problems)
    page.goto(base + "/networks/groups/new/")
    follow(page.get_by_role("button", name="Profile the group"))
    assert page.locator(".govuk-error-summary").count() == 1
    sweep("profile form (errors)")
    page.get_by_label("Name of the group").fill("Browser Test Crew")
    page.get_by_label("Cuckooing").check()
    page.get_by_label("Areas (optional)").fill("E05000782")
    page.get_by_role("button", name="Profile the group").click()
    page.wait_for_url(re.compile(r"/networks/groups/[0-9a-f-]+/$"))
    group = page.url
    for action in ("", "change/", "members/?q=a", "premises/?q=a", "threat/", "actions/"):
        check(page, group + action, problems)
    page.goto(group + "threat/")
    follow(page.get_by_role("button", name="Record the assessment"))
    sweep("threat form (errors)")
    page.goto(base + "/networks/objects/new/")
    page.get_by_label("Phone number").check()
    page.get_by_label("Number, registration, account, handle or description").fill("07700 900555")
    page.get_by_role("button", name="Record the object").click()
    page.wait_for_url(re.compile(r"/networks/objects/[0-9a-f-]+/$"))
    sweep("object page")
    follow(page.get_by_role("link", name="Add a link"))
    sweep("add a link from the object")

    # The demo's county line phone: the chart around it (drawn by Cytoscape.js over the
    # server's picture), its table, the analysis and the path form.
    line = server.safehold(
        "shell", "-c", "from safehold.networks.models import NetworkObject as O; "
        "print(O.objects.get(normalised='+447700900461').pk)",
    ).strip().splitlines()[-1]  # fmt: skip
    chart = f"{base}/networks/chart/?steps=2&around=object:{line}"
    check(page, chart, problems)
    page.wait_for_selector(".link-chart__canvas--live canvas")
    page.wait_for_selector(".link-chart[data-link-chart-drawn='true']", state="attached")
    assert page.locator("#link-chart-links tbody tr").count() >= 4
    assert page.get_by_role("cell", name=re.compile("Brinnington Line")).count() >= 1
    # On paper the server's picture is printed, not the live chart (and on screen the reverse).
    assert not page.locator(".link-chart__print svg").is_visible()
    page.emulate_media(media="print")
    assert page.locator(".link-chart__print svg").is_visible()
    assert not page.locator(".link-chart__canvas--live").is_visible()
    page.emulate_media(media="screen")
    # The keyboard: the chart is in the tab order, an arrow key names an entity, Enter charts
    # around it.
    assert page.locator(".link-chart__canvas").get_attribute("tabindex") == "0"
    page.locator(".link-chart__canvas").focus()
    page.keyboard.press("ArrowRight")
    named = page.locator(".link-chart__status").inner_text()  # "Type: label (n links)"
    assert named
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: url != chart)
    label = named.split(": ", 1)[1].rsplit(" (", 1)[0]
    assert page.get_by_role("heading", level=1).inner_text() == f"Links around {label}"
    check(page, f"{base}/networks/analysis/?measure=betweenness", problems)
    check(page, f"{base}/networks/gaps/", problems)  # a gap of each kind in the demo
    assert page.get_by_role("link", name="07700 900777").count() == 1
    check(page, f"{base}/networks/path/?from=object:{line}", problems)
    follow(page.get_by_role("button", name="Find the shortest chain"))
    sweep("path")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, server, "analyst@gmp.demo.safehold.test")
    check(page, base + "/networks/", problems)  # the analyst's menu keeps to one line
    assert page.get_by_role("link", name="Organised crime").count() >= 1
    assert problems == {}
