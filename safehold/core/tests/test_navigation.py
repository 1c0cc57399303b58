"""The service navigation and the home page come from what each app registers: core knows no
app, and each role sees the links it may follow, in the same order as before (the lists below
were what the old hard-wired navigation gave each role, less Places and Agreements, now in
the People and Sharing sections' own navigation so the menu keeps to one line: ADR 0040)."""

import pytest
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory

EXPECTED = {
    Role.REFERRER: ["Home", "Referrals"],
    Role.ANALYST: [
        "Home", "Referrals", "Reports", "Performance", "Crime and ASB", "Organised crime",
        "Linkage", "Risk",
    ],
    Role.CASEWORKER: [
        # Operations stand for the meetings too: the menu is full at 1280 px (meetings/rules.py).
        "Home", "Referrals", "Triage", "Cases", "Tasks", "People", "Operations", "Sharing",
        "Reports", "Performance", "Crime and ASB",
    ],
    Role.IG_OFFICER: [
        "Home", "Referrals", "Cases", "Tasks", "People",
        "Meetings",
        "Sharing", "Reports", "Performance", "Crime and ASB", "Audit", "Governance",
    ],
    Role.ADMINISTRATOR: [
        "Home", "Referrals", "Triage", "Cases", "Tasks", "People", "Sharing", "Reports",
        "Performance", "Crime and ASB", "Governance", "Users",
    ],
}  # fmt: skip


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_sees_the_links_its_apps_registered_for_it(client, db, role):
    client.force_login(UserFactory(role=role))
    response = client.get(reverse("core:home"))
    assert [item["text"] for item in response.context["nav_items"]] == EXPECTED[role]
    assert response.context["nav_items"][0]["current"]


def test_the_home_page_shows_the_casework_panel_registered_by_cases(client, db):
    client.force_login(UserFactory(role=Role.CASEWORKER))
    response = client.get(reverse("core:home"))
    assert response.context["open_tasks"] == 0 and response.context["overdue_tasks"] == 0
    assert response.context["waiting"] == 0


def test_a_registered_header_item_is_in_every_signed_in_page_and_not_for_visitors(client, db):
    from safehold.core import registry

    item = registry.HeaderItem("probe", "core/tests/header_probe.html", order=1)
    registry.register_header_item(item)
    try:
        client.force_login(UserFactory(role=Role.CASEWORKER))
        assert b"header-probe-item" in client.get(reverse("core:home")).content
        client.logout()
        assert b"header-probe-item" not in client.get(reverse("accounts:sign-in")).content
    finally:
        registry._header_items.pop("probe")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/cases/tasks/", "Tasks"),
        ("/people/places/", "People"),
        ("/cases/", "Cases"),
        ("/sharing/agreements/", "Sharing"),
        (
            "/meetings/",
            "Operations",
        ),  # a caseworker's menu has no Meetings: Operations stand for it
        ("/operations/", "Operations"),
    ],
)
def test_one_menu_item_is_highlighted_the_longest_match(client, db, url, expected):
    client.force_login(UserFactory(role=Role.CASEWORKER))
    response = client.get(url)
    highlighted = [i["text"] for i in response.context["nav_items"] if i["active"] or i["current"]]
    assert highlighted == [expected]


def test_a_section_with_its_own_link_is_highlighted_by_it_not_by_one_standing_for_it(client, db):
    """An information governance officer has Meetings in the menu (and no Operations): on the
    meetings pages it is Meetings that is highlighted."""
    client.force_login(UserFactory(role=Role.IG_OFFICER))
    response = client.get("/meetings/")
    highlighted = [i["text"] for i in response.context["nav_items"] if i["active"] or i["current"]]
    assert highlighted == ["Meetings"]
