"""A leaving caseworker's open cases and tasks go to a colleague: after a confirmation page,
all at once, audited; closed cases and done tasks stay; only their agency's administrator."""

import pytest
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.audit.models import AuditEvent
from safehold.cases.choices import CaseStatus, TaskStatus
from safehold.cases.models import Task
from safehold.cases.services import reassign
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory
from safehold.core import dates
from safehold.core.errors import NotPermitted


@pytest.fixture
def world(db):
    programme = ProgrammeFactory()
    agency = programme.lead_agency
    leaving = UserFactory(agency=agency, role=Role.CASEWORKER)
    taking = UserFactory(agency=agency, role=Role.CASEWORKER)
    admin = UserFactory(agency=agency, role=Role.ADMINISTRATOR)
    open_case = CaseFactory(programme=programme, lead_officer=leaving)
    closed = CaseFactory(programme=programme, lead_officer=leaving, status=CaseStatus.CLOSED)
    other_case = CaseFactory(programme=programme, lead_officer=taking)
    task = Task.objects.create(case=other_case, title="Visit", owner=leaving,
                               owner_agency=agency, due_on=dates.today())  # fmt: skip
    done = Task.objects.create(case=open_case, title="Done", owner=leaving, owner_agency=agency,
                               due_on=dates.today(), status=TaskStatus.DONE)  # fmt: skip
    return locals()


def test_the_page_confirms_then_moves_the_open_cases_and_tasks(client, world):
    client.force_login(world["admin"])
    url = reverse("cases:reassign", args=[world["leaving"].pk])
    page = client.get(url).content.decode()
    assert world["open_case"].reference in page and world["closed"].reference not in page
    confirm = client.post(url, {"to": world["taking"].pk}).content.decode()
    assert "Give 1 case and 1 task to" in confirm
    world["open_case"].refresh_from_db()
    assert world["open_case"].lead_officer == world["leaving"]  # nothing moved yet
    response = client.post(url, {"to": world["taking"].pk, "confirm": "yes"})
    assert response.status_code == 302
    for record in ("open_case", "closed", "task", "done"):
        world[record].refresh_from_db()
    assert world["open_case"].lead_officer == world["taking"]
    assert world["task"].owner == world["taking"]
    assert world["closed"].lead_officer == world["leaving"]
    assert world["done"].owner == world["leaving"]
    events = AuditEvent.objects.filter(purpose__startswith="work reassigned")
    assert {e.object_ids.split()[0] for e in events} == {
        str(world["open_case"].pk),
        str(world["other_case"].pk),
    }


def test_work_goes_only_to_an_active_casework_colleague_of_the_same_agency(world):
    for to in (world["leaving"], UserFactory(role=Role.CASEWORKER),
               UserFactory(agency=world["agency"], role=Role.ANALYST)):  # fmt: skip
        with pytest.raises(reassign.ReassignError):
            reassign.reassign_work(leaving=world["leaving"], to=to, by=world["admin"])
    world["open_case"].refresh_from_db()
    assert world["open_case"].lead_officer == world["leaving"]


def test_only_an_administrator_of_their_agency_reassigns_work(client, world):
    for by in (world["taking"], UserFactory(role=Role.ADMINISTRATOR)):
        with pytest.raises(NotPermitted):
            reassign.reassign_work(leaving=world["leaving"], to=world["taking"], by=by)
    url = reverse("cases:reassign", args=[world["leaving"].pk])
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    assert client.get(url).status_code == 404
    client.force_login(world["taking"])
    assert client.get(url).status_code == 404
