"""The ASB hand-over queue is in the menu of those who work it (members of a programme's ASB
team), and not of other caseworkers."""

from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.cases.tests.factories import ProgrammeFactory


def _menu(client, user) -> list[str]:
    client.force_login(user)
    return [item["href"] for item in client.get(reverse("core:home")).context["nav_items"]]


def test_the_asb_queue_is_in_the_menu_of_the_asb_team_only(client, db):
    programme = ProgrammeFactory()
    member = UserFactory(agency=programme.lead_agency, role=Role.CASEWORKER)
    member.teams.add(programme.asb_team)
    assert reverse("cases:asb-queue") in _menu(client, member)
    other = UserFactory(agency=programme.lead_agency, role=Role.CASEWORKER)
    other.teams.add(programme.triage_team)
    assert reverse("cases:asb-queue") not in _menu(client, other)
