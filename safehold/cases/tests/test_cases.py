import csv
import datetime
import html
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.audit.choices import Action, Channel
from safehold.audit.models import AuditEvent
from safehold.audit.tests.tampering import remove_the_chain_head
from safehold.cases.choices import CaseStatus, EnforcementKind
from safehold.cases.deadlines import add_months
from safehold.cases.models import Case, ChronologyEntry, EnforcementAction, InterventionType, Task
from safehold.cases.selectors import overdue_tasks
from safehold.cases.services import cases as services
from safehold.cases.services import casework as casework_services
from safehold.cases.services import enforcement as enforcement_services
from safehold.cases.services import tasks as task_services
from safehold.cases.services.cases import CaseClosed
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory
from safehold.people.tests.factories import PersonFactory


@pytest.fixture
def programme(agency):
    return ProgrammeFactory(lead_agency=agency)


@pytest.fixture
def officer(client, programme):
    user = UserFactory(agency=programme.lead_agency, role=Role.CASEWORKER)
    user.teams.add(programme.asb_team)
    client.force_login(user)
    return user


@pytest.fixture
def case(programme, officer):
    return services.open_case(
        programme=programme,
        referral_date=datetime.date(2026, 1, 10),
        subject=PersonFactory(owning_agency=programme.lead_agency),
        exploitation_type="cuckooing",
        by=officer,
    )


def fill(case, officer, n: int) -> None:
    """n of everything the case page shows."""
    target_hardening = InterventionType.objects.get(code="target_hardening")
    for i in range(n):
        casework_services.add_entry(
            case=case, by=officer, kind="visit", occurred_at=timezone.now(), summary=f"Visit {i}"
        )
        casework_services.add_intervention(
            case=case,
            by=officer,
            type=target_hardening,
            agency=case.owning_agency,
            started_on=datetime.date(2026, 1, 11),
        )
        enforcement_services.add_enforcement(
            case=case,
            by=officer,
            kind="cpw",
            status="in_force",
            agency=case.owning_agency,
            started_on=datetime.date(2026, 1, 12),
        )
        task_services.add_task(
            case=case,
            by=officer,
            title=f"Task {i}",
            due_on=datetime.date(2026, 2, 1),
            owner=officer,
        )
        casework_services.link_person(
            case=case,
            by=officer,
            person=PersonFactory(owning_agency=case.owning_agency),
            role="associate",
        )


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_case_page_issues_a_fixed_number_of_queries(client, officer, case):
    fill(case, officer, 1)
    one = count_queries(client, reverse("cases:detail", args=[case.pk]))
    fill(case, officer, 20)
    assert count_queries(client, reverse("cases:detail", args=[case.pk])) == one


def test_the_case_list_issues_a_fixed_number_of_queries(client, officer, programme):
    CaseFactory.create_batch(3, programme=programme, lead_officer=officer)
    few = count_queries(client, reverse("cases:list"))
    CaseFactory.create_batch(60, programme=programme, lead_officer=officer)
    assert count_queries(client, reverse("cases:list")) == few


def test_the_case_page_is_audited_and_shows_everything(client, officer, case):
    fill(case, officer, 1)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    for text in (
        "Visit 0",
        "Target hardening",
        "Community Protection Warning",
        "Task 0",
        "Associate",
        "moj-timeline",
    ):
        assert text in page
    assert (
        AuditEvent.objects.filter(
            action=Action.CONSULT, object_ids=str(case.pk), subject_ids=str(case.subject_id)
        ).count()
        == 1
    )


def test_another_agency_cannot_see_the_case_or_find_it_in_the_list(
    client, case, other_agency_caseworker
):
    client.force_login(other_agency_caseworker)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    response = client.get(reverse("cases:list"), {"q": case.reference})
    assert response.context["page"].paginator.count == 0


def test_adding_a_chronology_entry_through_the_page(client, officer, case):
    response = client.post(
        reverse("cases:add-entry", args=[case.pk]),
        {"kind": "item_given", "occurred_on_day": "12", "occurred_on_month": "1", "occurred_on_year": "2026", "time": "14:30",
         "summary": "Gave a phone", "item": "Pay-as-you-go phone"},
    )  # fmt: skip
    assert response.status_code == 302
    entry = ChronologyEntry.objects.get(kind="item_given")
    assert entry.item == "Pay-as-you-go phone" and timezone.localtime(entry.occurred_at).hour == 14


def test_an_item_given_must_say_what_the_item_was(client, officer, case):
    page = client.post(
        reverse("cases:add-entry", args=[case.pk]),
        {
            "kind": "item_given",
            "occurred_on_day": "12",
            "occurred_on_month": "1",
            "occurred_on_year": "2026",
            "summary": "Gave",
        },
    ).content.decode()
    assert "Enter the item given" in page and "There is a problem" in page


def test_a_closure_notice_shows_its_48_hour_court_deadline_and_orders_their_limits(
    client, officer, case
):
    served = timezone.make_aware(datetime.datetime(2026, 1, 15, 9, 30))
    enforcement_services.add_enforcement(
        case=case, by=officer, kind=EnforcementKind.CLOSURE_NOTICE, status="in_force",
        agency=case.owning_agency, started_on=datetime.date(2026, 1, 15), served_at=served,
    )  # fmt: skip
    enforcement_services.add_enforcement(
        case=case, by=officer, kind=EnforcementKind.FULL_CLOSURE_ORDER, status="in_force",
        agency=case.owning_agency, started_on=datetime.date(2026, 1, 31),
    )  # fmt: skip
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Court hearing due by: <strong>17 Jan 2026 09:30</strong>" in page
    assert "Order ends (3 months): <strong>30 Apr 2026</strong>" in page
    assert "Latest end with extension (6 months): <strong>31 Jul 2026</strong>" in page


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ((2026, 1, 31), 1, (2026, 2, 28)),
        ((2024, 1, 31), 1, (2024, 2, 29)),
        ((2026, 11, 30), 3, (2027, 2, 28)),
        ((2026, 5, 1), 6, (2026, 11, 1)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_months_last(start, months, expected):
    assert add_months(datetime.date(*start), months) == datetime.date(*expected)


def test_enforcement_with_a_document_upload_and_audited_download(client, officer, case):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("cases:add-enforcement", args=[case.pk]),
        {"kind": "cpn", "status": "in_force", "agency": case.owning_agency.pk, "started_on_day": "2", "started_on_month": "2",
         "started_on_year": "2026", "document": SimpleUploadedFile("cpn.pdf", b"%PDF-1.4 test")},
    )  # fmt: skip
    assert response.status_code == 302
    document = EnforcementAction.objects.get().documents.get()
    download = client.get(reverse("cases:document", args=[document.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 test"
    assert AuditEvent.objects.filter(
        action=Action.CONSULT, channel=Channel.EXPORT, object_type="cases.enforcementdocument"
    ).exists()


def test_linking_someone_new_through_the_page_records_them_for_the_cases_agency(
    client, officer, case
):
    response = client.post(
        reverse("cases:link-person", args=[case.pk]),
        {"role": "perpetrator", "given_name": "Dee", "family_name": "Newcomer", "notes": ""},
    )
    assert response.status_code == 302
    link = case.links.get()
    assert (link.person.full_name, link.role) == ("Dee Newcomer", "perpetrator")
    assert link.person.owning_agency_id == case.owning_agency_id
    assert AuditEvent.objects.filter(action=Action.COLLECT, purpose="person created").exists()
    assert AuditEvent.objects.filter(
        action=Action.COMBINE, object_ids__contains=str(link.person.pk)
    ).exists()


def test_closing_makes_the_case_read_only_and_reopening_is_recorded(client, officer, case):
    response = client.post(
        reverse("cases:close", args=[case.pk]),
        {
            "version": case.version,
            "reason": "positively_resolved",
            "tenancy_sustained": "yes",
            "closed_on_day": "1",
            "closed_on_month": "3",
            "closed_on_year": "2026",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (
        case.status == CaseStatus.CLOSED
        and case.tenancy_sustained is True
        and case.closed_on == datetime.date(2026, 3, 1)
    )
    with pytest.raises(CaseClosed):
        casework_services.add_entry(
            case=case, by=officer, kind="note", occurred_at=timezone.now(), summary="late note"
        )
    response = client.post(
        reverse("cases:add-task", args=[case.pk]),
        {"title": "x", "due_on_day": "1", "due_on_month": "4", "due_on_year": "2026"},
    )
    assert response.status_code == 302 and not Task.objects.exists()
    client.post(
        reverse("cases:reopen", args=[case.pk]),
        {"reason": "Dealers returned", "version": case.version},
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    assert case.chronology.filter(summary__contains="Dealers returned").exists()


def test_a_case_closed_as_refused_to_engage_appears_in_the_asb_queue_with_its_history(
    client, officer, case
):
    casework_services.add_entry(
        case=case, by=officer, kind="visit", occurred_at=timezone.now(), summary="Door not answered"
    )
    services.close_case(
        case=case,
        by=officer,
        reason="no_engagement",
        closed_on=datetime.date(2026, 2, 1),
        tenancy_sustained=None,
    )
    queue = client.get(reverse("cases:asb-queue"))
    assert [h.case for h in queue.context["handovers"]] == [case]
    assert AuditEvent.objects.filter(action=Action.DISCLOSE, object_ids=str(case.pk)).exists()
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Door not answered" in page and "Passed to" in page
    handover = queue.context["handovers"][0]
    client.post(reverse("cases:asb-acknowledge", args=[handover.pk]))
    handover.refresh_from_db()
    assert handover.acknowledged_by == officer


def test_my_tasks_and_team_tasks_and_overdue(client, officer, case):
    teammate = UserFactory(agency=officer.agency, role=Role.CASEWORKER)
    team = officer.teams.first()
    teammate.teams.add(team)
    mine = task_services.add_task(
        case=case,
        by=officer,
        title="Mine, overdue",
        due_on=datetime.date(2020, 1, 1),
        owner=officer,
    )
    task_services.add_task(
        case=case, by=officer, title="Theirs", due_on=datetime.date(2099, 1, 1), owner=teammate
    )
    assert [t.title for t in client.get(reverse("cases:my-tasks")).context["tasks"]] == [
        "Mine, overdue"
    ]
    assert {t.title for t in client.get(reverse("cases:team-tasks")).context["tasks"]} == {
        "Mine, overdue",
        "Theirs",
    }
    assert "1 overdue task" in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert [
        c.pk for c in client.get(reverse("cases:list"), {"overdue": "yes"}).context["page"]
    ] == [case.pk]
    client.post(reverse("cases:task-complete", args=[mine.pk]), {"next": "mine"})
    mine.refresh_from_db()
    assert mine.status == "done"


def test_filters_search_and_sort(client, officer, programme):
    a = CaseFactory(
        programme=programme,
        risk_level="high",
        reference="EXP-2024-0001",
        subject__family_name="Zed",
    )
    b = CaseFactory(
        programme=programme,
        risk_level="standard",
        reference="EXP-2024-0002",
        subject__family_name="Adams",
    )
    listed = lambda **q: [c.reference for c in client.get(reverse("cases:list"), q).context["page"]]  # noqa: E731
    assert listed(risk="high") == [a.reference]
    assert listed(q="adams") == [b.reference]
    assert listed(q="EXP-2024-0001") == [a.reference]
    assert listed(sort="subject") == [b.reference, a.reference]
    assert listed(sort="-risk") == [a.reference, b.reference]


def test_the_list_exports_to_csv_and_xlsx_and_the_export_is_audited(client, officer, programme):
    CaseFactory.create_batch(3, programme=programme)
    response = client.get(reverse("cases:export"), {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 3 and rows[0]["reference"].startswith("EXP-")
    xlsx = client.get(reverse("cases:export"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 4
    assert AuditEvent.objects.filter(channel=Channel.EXPORT, object_type="cases.case").count() == 2


def test_case_references_count_up_within_a_year(programme, officer):
    person = PersonFactory(owning_agency=programme.lead_agency)
    refs = [
        services.open_case(
            programme=programme,
            referral_date=datetime.date(2025, 5, 1),
            subject=person,
            exploitation_type="other",
            by=officer,
        ).reference
        for _ in range(2)
    ]
    assert refs == ["EXP-2025-0001", "EXP-2025-0002"]
    assert Case.objects.count() == 2


def test_when_the_audit_write_fails_the_case_is_not_shown_and_nothing_changes(
    client, officer, case
):
    client.raise_request_exception = False
    remove_the_chain_head()  # the audit log can no longer be written
    page = client.get(reverse("cases:detail", args=[case.pk]))
    assert page.status_code == 500 and case.subject.family_name not in html.unescape(
        page.content.decode()
    )
    response = client.post(
        reverse("cases:change-risk", args=[case.pk]),
        {"level": "high", "rationale": "x", "version": case.version},
    )
    assert response.status_code == 500
    case.refresh_from_db()
    assert case.risk_level == "standard" and case.risk_history.count() == 1


def test_overdue_tasks_are_those_of_cases_the_user_may_see(db):

    mine, theirs = CaseFactory(), CaseFactory()
    due = datetime.date(2020, 1, 1)
    for case in (mine, theirs):
        Task.objects.create(case=case, title="Visit", owner_agency=case.owning_agency, due_on=due)
    user = UserFactory(agency=mine.owning_agency, role=Role.CASEWORKER)
    assert [t.case for t in overdue_tasks(user)] == [mine]
