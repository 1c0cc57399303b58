"""Where the pages are reached: a police analyst's menu has Intelligence (a short menu); the
casework roles' menus are full at 1280 px, so their home page links the pages instead."""

import pytest
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.intelligence.tests.helpers import submit

pytestmark = pytest.mark.django_db


def _menu(client, user) -> list[str]:
    client.force_login(user)
    return [item["text"] for item in client.get(reverse("core:home")).context["nav_items"]]


def test_only_a_police_analyst_has_intelligence_in_the_menu(client, analyst, landlord, police):
    assert "Intelligence" in _menu(client, analyst)
    assert "Intelligence" not in _menu(client, UserFactory(agency=landlord, role=Role.ANALYST))
    for role in (Role.CASEWORKER, Role.SUPERVISOR):
        assert "Intelligence" not in _menu(client, UserFactory(agency=police, role=role))


def test_the_home_page_links_submission_and_counts_the_queue(client, submitter, police):
    submit(submitter)
    client.force_login(submitter)
    page = client.get(reverse("core:home")).content.decode()
    assert reverse("intelligence:submit") in page and reverse("intelligence:list") in page
    assert "intelligence-waiting" not in page
    client.force_login(UserFactory(agency=police, role=Role.SUPERVISOR))
    page = client.get(reverse("core:home")).content.decode()
    assert "1 waiting" in page and reverse("intelligence:queue") in page
