"""A partner agency given a case in full works on it (issue 14, item 20): its casework roles
add chronology entries and complete the tasks assigned to it, attributed to the partner's user
and agency and audited; with a name-only share, or none, it can do neither. The holder's
caseworker is the positive control throughout."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.audit.choices import Action
from safehold.audit.models import AuditEvent
from safehold.cases.choices import TaskStatus
from safehold.cases.models import ChronologyEntry, Task
from safehold.cases.services import casework, tasks
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory
from safehold.core.errors import NotPermitted
from safehold.sharing.models import Disclosure
from safehold.sharing.tests.factories import AgreementFactory

ENTRY = {
    "kind": "visit",
    "occurred_on_day": "2",
    "occurred_on_month": "3",
    "occurred_on_year": "2026",
    "summary": "Joint visit with the PCSO; door repaired.",
}


@pytest.fixture
def world(db):
    holder = AgencyFactory(name="Homes for Testing")
    partner = AgencyFactory(name="Testshire Police")
    case = CaseFactory(programme=ProgrammeFactory(lead_agency=holder))
    agreement = AgreementFactory(parties=[holder, partner])
    return {
        "case": case,
        "agreement": agreement,
        "partner": partner,
        "holder_worker": UserFactory(agency=holder, role=Role.CASEWORKER),
        "partner_worker": UserFactory(agency=partner, role=Role.CASEWORKER, full_name="Pat Cee"),
        "partner_task": Task.objects.create(
            case=case,
            title="Check the door",
            owner_agency=partner,
            due_on=datetime.date(2099, 1, 1),
        ),
        "holder_task": Task.objects.create(
            case=case, title="Holder's visit", owner_agency=holder, due_on=datetime.date(2099, 1, 1)
        ),
    }


def share(world, level):
    Disclosure.objects.create(
        agreement=world["agreement"], from_agency=world["case"].owning_agency,
        to_agency=world["partner"], case=world["case"], level=level, purpose="joint visits",
    )  # fmt: skip


def test_a_partner_with_a_full_share_adds_to_the_chronology_attributed_and_audited(client, world):
    share(world, "full")
    case, partner_worker = world["case"], world["partner_worker"]
    client.force_login(partner_worker)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:add-entry", args=[case.pk]) in page
    assert "You can add to the chronology and complete tasks assigned to your organisation" in page
    assert "Reason for sharing:</strong> joint visits" in page
    assert client.get(reverse("cases:add-entry", args=[case.pk])).status_code == 200
    response = client.post(reverse("cases:add-entry", args=[case.pk]), ENTRY)
    assert response.status_code == 302
    entry = ChronologyEntry.objects.get(summary=ENTRY["summary"])
    assert entry.recorded_by == partner_worker and entry.case == case
    event = AuditEvent.objects.get(action=Action.COLLECT, object_ids__contains=str(entry.pk))
    assert event.actor_id == partner_worker.pk and event.actor_agency_id == world["partner"].pk
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "by Pat Cee, Testshire Police" in page


def test_a_partner_with_a_full_share_completes_only_the_tasks_assigned_to_it(client, world):
    share(world, "full")
    client.force_login(world["partner_worker"])
    page = client.get(reverse("cases:detail", args=[world["case"].pk])).content.decode()
    assert reverse("cases:task-complete", args=[world["partner_task"].pk]) in page
    assert reverse("cases:task-complete", args=[world["holder_task"].pk]) not in page
    client.post(reverse("cases:task-complete", args=[world["partner_task"].pk]))
    world["partner_task"].refresh_from_db()
    assert world["partner_task"].status == TaskStatus.DONE
    assert world["partner_task"].completed_by == world["partner_worker"]
    assert AuditEvent.objects.filter(
        actor=world["partner_worker"], purpose__endswith="task completed"
    ).exists()
    response = client.post(reverse("cases:task-complete", args=[world["holder_task"].pk]))
    assert response.status_code in (403, 404)
    with pytest.raises(NotPermitted):
        tasks.complete_task(task=world["holder_task"], by=world["partner_worker"])
    world["holder_task"].refresh_from_db()
    assert world["holder_task"].status == TaskStatus.OPEN


@pytest.mark.parametrize("level", ["name_only", None])
def test_a_partner_with_a_name_only_share_or_none_can_neither_write_nor_complete(
    client, world, level
):
    if level:
        share(world, level)
    case, partner_worker = world["case"], world["partner_worker"]
    client.force_login(partner_worker)
    assert client.get(reverse("cases:add-entry", args=[case.pk])).status_code == 404
    assert client.post(reverse("cases:add-entry", args=[case.pk]), ENTRY).status_code == 404
    task_url = reverse("cases:task-complete", args=[world["partner_task"].pk])
    assert client.post(task_url).status_code == 404
    with pytest.raises(NotPermitted):
        casework.add_entry(
            case=case, by=partner_worker, kind="note", occurred_at=timezone.now(), summary="x"
        )
    with pytest.raises(NotPermitted):
        tasks.complete_task(task=world["partner_task"], by=partner_worker)
    assert not ChronologyEntry.objects.filter(recorded_by=partner_worker).exists()
    # The positive control: the holder's caseworker does both on the same URLs.
    client.force_login(world["holder_worker"])
    assert client.post(reverse("cases:add-entry", args=[case.pk]), ENTRY).status_code == 302
    assert client.post(task_url).status_code == 302
    world["partner_task"].refresh_from_db()
    assert world["partner_task"].status == TaskStatus.DONE


def test_a_partner_role_that_does_not_edit_cannot_write_even_with_a_full_share(client, world):
    share(world, "full")
    ig = UserFactory(agency=world["partner"], role=Role.IG_OFFICER)
    client.force_login(ig)
    assert client.get(reverse("cases:detail", args=[world["case"].pk])).status_code == 200
    assert client.post(reverse("cases:add-entry", args=[world["case"].pk]), ENTRY).status_code in (
        403,
        404,
    )


def test_the_holder_gives_a_task_to_a_partner_with_a_full_share_only(client, world):
    case = world["case"]
    client.force_login(world["holder_worker"])
    form = client.get(reverse("cases:add-task", args=[case.pk])).context["form"]
    assert "owner_agency" not in form.fields  # not shared: nobody to give it to
    share(world, "full")
    form = client.get(reverse("cases:add-task", args=[case.pk])).context["form"]
    assert list(form.fields["owner_agency"].queryset) == [world["partner"]]
    client.post(
        reverse("cases:add-task", args=[case.pk]),
        {"title": "Police check", "owner_agency": world["partner"].pk, "due_on_day": "1",
         "due_on_month": "1", "due_on_year": "2099"},
    )  # fmt: skip
    assert Task.objects.get(title="Police check").owner_agency == world["partner"]
