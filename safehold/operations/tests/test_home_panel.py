"""The home page's operations panel: the operations of the last week and ahead that the user's
agency leads or takes part in (another agency's are not there), and the link to Operations for
a supervisor, whose menu has none; a fixed number of queries whatever the number of rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.operations.panels import operations_panel
from safehold.operations.tests.factories import OperationFactory

pytestmark = pytest.mark.django_db


def _soon(days):
    return timezone.now() + datetime.timedelta(days=days)


def test_the_panel_lists_the_operations_ahead_of_the_users_agency_only(client, lead, stranger):
    OperationFactory(owning_agency=lead.agency, name="Operation Ahead", starts_at=_soon(3))
    OperationFactory(owning_agency=lead.agency, name="Operation Long Ago", starts_at=_soon(-40))
    OperationFactory(owning_agency=stranger.agency, name="Operation Theirs", starts_at=_soon(2))
    client.force_login(lead)
    page = client.get(reverse("core:home")).content.decode()
    assert "Operation Ahead" in page
    assert "Operation Long Ago" not in page and "Operation Theirs" not in page
    client.force_login(stranger)
    assert "Operation Theirs" in client.get(reverse("core:home")).content.decode()


def test_a_supervisor_is_linked_to_operations_from_home_not_the_menu(client, lead):
    supervisor = UserFactory(agency=lead.agency, role=Role.SUPERVISOR)
    client.force_login(supervisor)
    response = client.get(reverse("core:home"))
    assert "Operations" not in [item["text"] for item in response.context["nav_items"]]
    assert f'href="{reverse("operations:list")}"' in response.content.decode()
    # A caseworker has the menu link, so the panel does not repeat it.
    OperationFactory(owning_agency=lead.agency, starts_at=_soon(1))
    assert operations_panel(lead)["operations_link"] is False


def test_the_panel_is_a_fixed_number_of_queries(lead):
    OperationFactory(owning_agency=lead.agency, starts_at=_soon(1))

    def count():
        with CaptureQueriesContext(connection) as captured:
            operations_panel(lead)
        return len(captured)

    one = count()
    for n in range(4):
        OperationFactory(owning_agency=lead.agency, starts_at=_soon(n + 2))
    assert count() == one and len(operations_panel(lead)["operations"]) == 5
