"""Closing a case (issue 14, defects 2 and 4): it shows what is still open, closes or hands
over the open tasks, and a task on a closed case never counts as open or overdue anywhere;
a closing date before the referral date is an error on the form, with what was typed kept."""

import datetime

import pytest
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.audit.models import AuditEvent
from safehold.cases import selectors
from safehold.cases.choices import CaseStatus, TaskStatus
from safehold.cases.models import Case, Task
from safehold.cases.services import cases as services
from safehold.cases.services import enforcement as enforcement_services
from safehold.cases.services import tasks as task_services
from safehold.cases.services.cases import CaseError
from safehold.cases.tests.factories import ProgrammeFactory
from safehold.cases.views import home
from safehold.notifications.choices import NotificationKind
from safehold.notifications.models import Notification
from safehold.people.tests.factories import PersonFactory
from safehold.sharing import services as sharing_services
from safehold.sharing.tests.factories import AgreementFactory

REFERRED = datetime.date(2026, 1, 10)


@pytest.fixture
def officer(client, agency):
    user = UserFactory(agency=agency, role=Role.CASEWORKER)
    client.force_login(user)
    return user


@pytest.fixture
def case(officer):
    return services.open_case(
        programme=ProgrammeFactory(lead_agency=officer.agency),
        referral_date=REFERRED,
        subject=PersonFactory(owning_agency=officer.agency),
        exploitation_type="cuckooing",
        by=officer,
    )


@pytest.fixture
def overdue_task(case, officer):
    return task_services.add_task(
        case=case,
        by=officer,
        title="Check the door",
        due_on=datetime.date(2026, 2, 1),
        owner=officer,
    )


def close_data(case, **extra):
    """The close form as the page sends it, with the case's version it was opened on."""
    return {
        "version": case.version,
        "reason": "positively_resolved",
        "tenancy_sustained": "yes",
        "closed_on_day": "1",
        "closed_on_month": "3",
        "closed_on_year": "2026",
        **extra,
    }


def test_the_close_page_lists_open_tasks_enforcement_in_force_and_shares(client, officer, case):
    task_services.add_task(
        case=case, by=officer, title="Fit a door viewer", due_on=datetime.date(2099, 1, 1)
    )
    enforcement_services.add_enforcement(
        case=case, by=officer, kind="full_closure_order", status="in_force",
        agency=officer.agency, started_on=datetime.date(2026, 2, 1),
        ends_on=datetime.date(2099, 5, 1),
    )  # fmt: skip
    police = AgencyFactory(name="Testshire Police")
    sharing_services.disclose(
        agreement=AgreementFactory(parties=[officer.agency, police]), to_agency=police,
        level="full", purpose="Joint visits", by=officer, case=case,
    )  # fmt: skip
    page = client.get(reverse("cases:close", args=[case.pk])).content.decode()
    assert "Still open on this case" in page
    assert "Fit a door viewer" in page
    assert "Full closure order" in page
    assert "Testshire Police" in page
    assert "What should happen to the 1 open task?" in page


def test_a_case_without_open_work_closes_without_the_question(client, officer, case):
    page = client.get(reverse("cases:close", args=[case.pk])).content.decode()
    assert "Still open on this case" not in page and "open task" not in page
    assert client.post(reverse("cases:close", args=[case.pk]), close_data(case)).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_closing_with_an_open_task_asks_what_to_do_with_it_and_keeps_what_was_typed(
    client, officer, case, overdue_task
):
    response = client.post(
        reverse("cases:close", args=[case.pk]), close_data(case, notes="Moved to a safe flat")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Select what should happen to the open tasks" in page
    assert "Moved to a safe flat" in page  # what was typed is kept
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


def test_closing_closes_the_open_tasks_and_they_never_count_again(
    client, officer, case, overdue_task
):
    assert home.home_panel(officer)["overdue_tasks"] == 1
    response = client.post(
        reverse("cases:close", args=[case.pk]), close_data(case, open_tasks="close")
    )
    assert response.status_code == 302
    overdue_task.refresh_from_db()
    assert overdue_task.status == TaskStatus.CLOSED and overdue_task.completed_by == officer
    assert AuditEvent.objects.filter(purpose__contains="open tasks closed on closing").exists()
    panel = home.home_panel(officer)
    assert (panel["open_tasks"], panel["overdue_tasks"]) == (0, 0)
    assert not selectors.my_tasks(officer).exists()
    assert not selectors.team_tasks(officer).exists()
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "overdue task" not in page and "Closed with the case" in page
    assert "Tasks closed with the case: Check the door" in page


def test_closing_can_hand_the_open_tasks_over_to_a_colleague(client, officer, case, overdue_task):
    colleague = UserFactory(agency=officer.agency, role=Role.CASEWORKER, full_name="Kim Other")
    page = client.post(
        reverse("cases:close", args=[case.pk]), close_data(case, open_tasks="hand_over")
    ).content.decode()
    assert "Select who the open tasks are handed over to" in page
    response = client.post(
        reverse("cases:close", args=[case.pk]),
        close_data(case, open_tasks="hand_over", hand_over_to=colleague.pk),
    )
    assert response.status_code == 302
    overdue_task.refresh_from_db()
    assert (overdue_task.status, overdue_task.owner) == (TaskStatus.HANDED_OVER, colleague)
    assert (
        "Tasks handed over to Kim Other"
        in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    )
    assert not selectors.overdue_tasks(colleague).exists()
    # The colleague is told (a reference and a link, never a name), the closer is not.
    notice = Notification.objects.get(recipient=colleague)
    assert notice.kind == NotificationKind.TASK_ASSIGNED
    assert notice.reference == f"Case {case.reference}: 1 task handed over to you when it closed"
    assert not Notification.objects.filter(recipient=officer).exists()


def test_closing_the_tasks_tells_nobody(client, officer, case, overdue_task):
    response = client.post(
        reverse("cases:close", args=[case.pk]), close_data(case, open_tasks="close")
    )
    assert response.status_code == 302
    assert not Notification.objects.exists()


def test_a_task_left_open_on_a_closed_case_is_not_open_work_anywhere(client, officer, case):
    """Cases closed before closing asked about their tasks keep them open in the database:
    no list, count or flag treats them as work."""
    task = Task.objects.create(
        case=case, title="Left behind", owner=officer, owner_agency=officer.agency,
        due_on=datetime.date(2026, 2, 1),
    )  # fmt: skip
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, closed_on=REFERRED)
    task.refresh_from_db()
    assert not task.is_overdue and not task.is_open
    assert not selectors.overdue_tasks(officer).exists()
    assert not selectors.open_tasks_visible_to(officer).exists()
    assert home.home_panel(officer)["overdue_tasks"] == 0
    assert [c.has_overdue for c in selectors.search_cases(officer)] == [False]
    assert client.get(reverse("cases:my-tasks")).context["tasks"] == []
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "overdue task" not in page
    api = client.get("/api/v1/tasks/")
    assert api.status_code == 200 and api.json()["count"] == 0


def test_a_closing_date_before_the_referral_date_is_an_error_on_the_form(client, officer, case):
    response = client.post(
        reverse("cases:close", args=[case.pk]),
        close_data(case, closed_on_day="9", closed_on_month="1", notes="Typed summary"),
    )
    assert response.status_code == 200  # the form again, not a redirect that loses it
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "The date closed must be the same as or after the referral date" in page
    assert "Typed summary" in page and 'value="9"' in page
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


def test_the_service_refuses_a_closing_date_before_the_referral_date(officer, case):
    with pytest.raises(CaseError):
        services.close_case(
            case=case, by=officer, reason="moved", closed_on=datetime.date(2026, 1, 9),
            tenancy_sustained=None,
        )  # fmt: skip


def test_the_service_refuses_to_close_a_case_with_open_tasks_without_a_choice(
    officer, case, overdue_task
):
    with pytest.raises(CaseError, match="1 open task"):
        services.close_case(
            case=case, by=officer, reason="moved", closed_on=datetime.date(2026, 3, 1),
            tenancy_sustained=None,
        )  # fmt: skip
    stranger = UserFactory(agency=AgencyFactory(), role=Role.CASEWORKER)
    with pytest.raises(CaseError, match="works for the agency"):
        services.close_case(
            case=case, by=officer, reason="moved", closed_on=datetime.date(2026, 3, 1),
            tenancy_sustained=None, open_tasks="hand_over", hand_over_to=stranger,
        )  # fmt: skip
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


@pytest.mark.parametrize("kind", ["full_closure_order", "civil_injunction", "cpn"])
def test_enforcement_cannot_end_before_it_starts(client, officer, case, kind):
    response = client.post(
        reverse("cases:add-enforcement", args=[case.pk]),
        {
            "kind": kind, "status": "in_force", "agency": officer.agency.pk,
            "started_on_day": "10", "started_on_month": "3", "started_on_year": "2026",
            "ends_on_day": "9", "ends_on_month": "3", "ends_on_year": "2026",
            "notes": "Typed notes",
        },
    )  # fmt: skip
    assert response.status_code == 200
    page = response.content.decode()
    assert "The end date must be the same as or after 10 March 2026" in page
    assert "govuk-error-summary" in page and "Typed notes" in page
    assert not case.enforcement.exists()
    with pytest.raises(CaseError):
        enforcement_services.add_enforcement(
            case=case, by=officer, kind=kind, status="in_force", agency=officer.agency,
            started_on=datetime.date(2026, 3, 10), ends_on=datetime.date(2026, 3, 9),
        )  # fmt: skip


def test_an_enforcement_update_cannot_end_it_before_it_started(client, officer, case):
    action = enforcement_services.add_enforcement(
        case=case, by=officer, kind="civil_injunction", status="in_force",
        agency=officer.agency, started_on=datetime.date(2026, 3, 10),
    )  # fmt: skip
    response = client.post(
        reverse("cases:enforcement-update", args=[action.pk]),
        {"status": "in_force", "ends_on_day": "1", "ends_on_month": "3", "ends_on_year": "2026"},
    )
    assert response.status_code == 200
    assert "The end date must be the same as or after 10 March 2026" in response.content.decode()
    with pytest.raises(CaseError):
        enforcement_services.update_enforcement(
            action=action, by=officer, status="in_force", ends_on=datetime.date(2026, 3, 1)
        )
    action.refresh_from_db()
    assert action.ends_on is None
