import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.audit.choices import Action
from safehold.audit.models import AuditEvent
from safehold.audit.tests.tampering import remove_the_chain_head
from safehold.cases.choices import (
    CaseStatus,
    EnforcementKind,
    EntryKind,
    ExploitationType,
    RiskLevel,
    TaskStatus,
)
from safehold.cases.models import (
    ChronologyEntry,
    EnforcementAction,
    Intervention,
    InterventionType,
    Referral,
    Sign,
    Task,
)
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory, ReferralFactory
from safehold.core import dates
from safehold.people.models import PersonAlias, Vulnerability
from safehold.people.tests.factories import LocationFactory, PersonFactory


@pytest.fixture
def api(client, caseworker, bearer):
    """GET as the caseworker's partner system: `api("api:case-list", params)`."""
    headers = bearer(caseworker)

    def get(name, params=None, **kwargs):
        return client.get(reverse(name, kwargs=kwargs or None), params or {}, headers=headers)

    return get


def make_case(agency, **fields):
    return CaseFactory(programme=ProgrammeFactory(lead_agency=agency), **fields)


def full_case(agency, officer):
    """A case with something in every list the detail shows."""
    case = make_case(agency, location=LocationFactory(owning_agency=agency), lead_officer=officer)
    Intervention.objects.create(
        case=case, type=InterventionType.objects.first(), agency=agency, started_on=dates.today()
    )
    EnforcementAction.objects.create(
        case=case, kind=EnforcementKind.CPW, agency=agency, started_on=dates.today()
    )
    Task.objects.create(
        case=case, title="Visit", owner=officer, owner_agency=agency, due_on=dates.today()
    )
    ChronologyEntry.objects.create(
        case=case,
        kind=EntryKind.VISIT,
        occurred_at=datetime.datetime.now(datetime.UTC),
        summary="Visited",
        recorded_by=officer,
    )
    return case


def count_queries(get, name, **kwargs) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert get(name, **kwargs).status_code == 200
    return len(ctx.captured_queries)


# People


def test_a_person_is_shown_with_codes_and_the_read_is_audited(api, caseworker):
    person = PersonFactory(owning_agency=caseworker.agency, given_name="Ada", family_name="Api")
    person.vulnerabilities.set(Vulnerability.objects.filter(code="mental_health"))
    PersonAlias.objects.create(person=person, name="Addy")
    body = api("api:person-detail", pk=person.pk).json()
    assert body == {
        "id": str(person.pk),
        "version": 1,
        "given_name": "Ada",
        "family_name": "Api",
        "aliases": ["Addy"],
        "date_of_birth": person.date_of_birth.isoformat(),
        "gender": "not_known",
        "vulnerabilities": ["mental_health"],
        "owning_agency": {"id": str(caseworker.agency.pk), "name": caseworker.agency.name},
    }
    event = AuditEvent.objects.get(action=Action.CONSULT)
    assert (event.channel, event.object_type, event.object_ids, event.subject_ids) == (
        "api",
        "people.person",
        str(person.pk),
        str(person.pk),
    )
    assert (event.actor, event.purpose) == (caseworker, "view person")


def test_the_person_list_page_is_audited_naming_the_people_returned(api, caseworker):
    people = PersonFactory.create_batch(3, owning_agency=caseworker.agency)
    PersonFactory()  # another agency's
    body = api("api:person-list").json()
    assert body["count"] == 3 and body["next"] is None
    event = AuditEvent.objects.get(action=Action.CONSULT)
    assert event.channel == "api" and event.purpose == "person list"
    assert set(event.subject_ids.split()) == {str(p.pk) for p in people}
    assert set(event.object_ids.split()) == {r["id"] for r in body["results"]}


def test_people_are_searched_by_name_or_alias(api, caseworker):
    person = PersonFactory(owning_agency=caseworker.agency, given_name="Alex", family_name="Brown")
    PersonFactory(owning_agency=caseworker.agency, given_name="Chris", family_name="Green")
    PersonAlias.objects.create(person=person, name="Lexi")
    body = api("api:person-list", {"search": "lexi"}).json()
    assert [p["id"] for p in body["results"]] == [str(person.pk)]
    assert AuditEvent.objects.get(action=Action.CONSULT).purpose == "person list search: search"


def test_an_empty_page_records_nothing(api):
    assert api("api:person-list").json()["results"] == []
    assert not AuditEvent.objects.filter(action=Action.CONSULT).exists()


def test_lists_are_paged_50_at_a_time(api, caseworker):
    PersonFactory.create_batch(51, owning_agency=caseworker.agency)
    first = api("api:person-list").json()
    assert (first["count"], len(first["results"])) == (51, 50)
    assert first["next"].endswith("?page=2")
    assert len(api("api:person-list", {"page": 2}).json()["results"]) == 1
    assert api("api:person-list", {"page": 3}).status_code == 404


@pytest.mark.parametrize("role", [Role.REFERRER, Role.ANALYST])
def test_roles_without_casework_get_403_for_lists_and_404_for_records(client, agency, role, bearer):
    person = PersonFactory(owning_agency=agency)
    case = make_case(agency)
    headers = bearer(UserFactory(agency=agency, role=role))
    for name in ("api:person-list", "api:case-list", "api:task-list"):
        assert client.get(reverse(name), headers=headers).status_code == 403
    for name, pk in (("api:person-detail", person.pk), ("api:case-detail", case.pk)):
        assert client.get(reverse(name, args=[pk]), headers=headers).status_code == 404
    assert not AuditEvent.objects.filter(action=Action.CONSULT).exists()
    assert AuditEvent.objects.filter(action=Action.ACCESS_DENIED, channel="api").count() == 5


# The read gate: another agency's records do not exist for the caller.


@pytest.mark.parametrize("kind", ["person", "case", "referral"])
def test_another_agencys_record_is_404_and_the_attempt_is_recorded(
    client, agency, other_agency_caseworker, bearer, kind
):
    record = {
        "person": lambda: PersonFactory(owning_agency=agency),
        "case": lambda: make_case(agency),
        "referral": lambda: ReferralFactory(programme=ProgrammeFactory(lead_agency=agency)),
    }[kind]()
    response = client.get(
        reverse(f"api:{kind}-detail", args=[record.pk]), headers=bearer(other_agency_caseworker)
    )
    assert response.status_code == 404
    assert str(record.pk) not in response.content.decode()
    denied = AuditEvent.objects.get(action=Action.ACCESS_DENIED)
    assert (denied.actor, denied.object_ids, denied.channel, denied.outcome) == (
        other_agency_caseworker,
        str(record.pk),
        "api",
        "denied",
    )
    assert not AuditEvent.objects.filter(action=Action.CONSULT).exists()


def test_lists_hold_only_the_callers_agencys_records(api, caseworker, other_agency_caseworker):
    ours = make_case(caseworker.agency)
    theirs = make_case(other_agency_caseworker.agency)
    Task.objects.create(
        case=theirs, title="Theirs", owner_agency=theirs.owning_agency, due_on=dates.today()
    )
    assert [c["id"] for c in api("api:case-list").json()["results"]] == [str(ours.pk)]
    assert api("api:task-list").json()["count"] == 0
    assert api("api:person-list").json()["count"] == 1  # the subject of our case


# Cases


def test_a_case_is_shown_with_its_interventions_enforcement_tasks_and_chronology(api, caseworker):
    case = full_case(caseworker.agency, caseworker)
    body = api("api:case-detail", pk=case.pk).json()
    assert body["reference"] == case.reference
    assert body["subject"] == {"id": str(case.subject_id), "name": case.subject.full_name}
    assert body["location"]["summary"] == case.location.one_line
    assert body["lead_officer"] == caseworker.full_name
    assert (body["status"], body["exploitation_type"], body["risk_level"]) == (
        "open",
        "cuckooing",
        "standard",
    )
    assert body["owning_agency"]["id"] == str(caseworker.agency.pk)
    assert [i["type"] for i in body["interventions"]] == [InterventionType.objects.first().code]
    assert [e["kind"] for e in body["enforcement"]] == ["cpw"]
    assert [(t["title"], t["owner"]) for t in body["tasks"]] == [("Visit", caseworker.full_name)]
    assert [(c["kind"], c["recorded_by"]) for c in body["chronology"]] == [
        ("visit", caseworker.full_name)
    ]
    assert body["closed_on"] is None and body["closure_reason"] is None
    event = AuditEvent.objects.get(action=Action.CONSULT)
    assert (event.object_type, event.object_ids, event.subject_ids, event.channel) == (
        "cases.case",
        str(case.pk),
        str(case.subject_id),
        "api",
    )


def test_cases_are_filtered_and_searched_by_reference(api, caseworker):
    agency = caseworker.agency
    open_high = make_case(agency, risk_level=RiskLevel.HIGH, reference="EXP-2024-0001")
    make_case(agency, status=CaseStatus.CLOSED, reference="EXP-2024-0002")
    make_case(agency, exploitation_type=ExploitationType.FINANCIAL, reference="EXP-2023-0003")

    def refs(params):
        return sorted(c["reference"] for c in api("api:case-list", params).json()["results"])

    assert refs({"status": "open"}) == ["EXP-2023-0003", "EXP-2024-0001"]
    assert refs({"risk_level": "high"}) == ["EXP-2024-0001"]
    assert refs({"exploitation_type": "financial"}) == ["EXP-2023-0003"]
    assert refs({"search": "EXP-2024"}) == ["EXP-2024-0001", "EXP-2024-0002"]
    assert refs({"search": "EXP-2024", "status": "closed"}) == ["EXP-2024-0002"]
    purposes = AuditEvent.objects.filter(action=Action.CONSULT).values_list("purpose", flat=True)
    assert "case list search: search" in purposes and "case list search: search, status" in purposes
    assert not any("EXP-2024" in p for p in purposes)  # the words searched for are not kept
    assert open_high.reference in refs({})


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "shut"}, "status"),
        ({"risk_level": "extreme"}, "risk_level"),
        ({"exploitation_type": "piracy"}, "exploitation_type"),
        ({"search": "x" * 101}, "search"),
    ],
)
def test_a_bad_case_filter_is_400_naming_it(api, params, field):
    response = api("api:case-list", params)
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert isinstance(response.json()[field], list)


# Tasks


def test_the_task_list_holds_open_tasks_and_mine_narrows_it_to_the_callers(api, caseworker, agency):
    case = make_case(agency)
    colleague = UserFactory(agency=agency)
    mine = Task.objects.create(
        case=case, title="Mine", owner=caseworker, owner_agency=agency, due_on=dates.today()
    )
    theirs = Task.objects.create(
        case=case, title="Theirs", owner=colleague, owner_agency=agency, due_on=dates.today()
    )
    Task.objects.create(
        case=case, title="Done", owner=caseworker, owner_agency=agency, due_on=dates.today(),
        status=TaskStatus.DONE,
    )  # fmt: skip
    everyone = api("api:task-list").json()["results"]
    assert {t["title"] for t in everyone} == {"Mine", "Theirs"}
    assert everyone[0]["case"] == {"id": str(case.pk), "reference": case.reference}
    assert [t["id"] for t in api("api:task-list", {"mine": "true"}).json()["results"]] == [
        str(mine.pk)
    ]
    first = AuditEvent.objects.filter(action=Action.CONSULT).first()
    assert set(first.object_ids.split()) == {str(mine.pk), str(theirs.pk)}
    assert first.subject_ids == str(case.subject_id) and first.channel == "api"
    assert api("api:task-list", {"mine": "perhaps"}).status_code == 400


# A fixed number of queries, whatever the number of rows.


def test_list_queries_do_not_grow_with_rows(api, caseworker, agency):
    def add_rows():
        person = PersonFactory(owning_agency=agency)
        person.vulnerabilities.set(Vulnerability.objects.all()[:2])
        PersonAlias.objects.create(person=person, name=f"Alias of {person.pk}")
        case = full_case(agency, UserFactory(agency=agency))
        referral = ReferralFactory(programme=case.programme, referrer=caseworker)
        referral.signs.set(Sign.objects.all()[:3])

    add_rows()
    one = {n: count_queries(api, n) for n in LISTS}
    for _ in range(9):
        add_rows()
    assert Referral.objects.count() == 10
    many = {n: count_queries(api, n) for n in LISTS}
    assert many == one


LISTS = ("api:person-list", "api:case-list", "api:task-list", "api:referral-list")


def test_case_detail_queries_do_not_grow_with_its_lists(api, caseworker, agency):
    case = full_case(agency, caseworker)
    one = count_queries(api, "api:case-detail", pk=case.pk)
    for _ in range(5):
        Task.objects.create(
            case=case, title="More", owner=caseworker, owner_agency=agency, due_on=dates.today()
        )
        ChronologyEntry.objects.create(
            case=case, kind=EntryKind.NOTE, occurred_at=datetime.datetime.now(datetime.UTC),
            summary="More", recorded_by=UserFactory(agency=agency),
        )  # fmt: skip
        Intervention.objects.create(
            case=case, type=InterventionType.objects.last(), agency=agency, started_on=dates.today()
        )
    assert count_queries(api, "api:case-detail", pk=case.pk) == one


def test_when_the_audit_write_fails_nothing_is_shown(client, caseworker, bearer):
    person = PersonFactory(owning_agency=caseworker.agency, family_name="Hiddenname")
    headers = bearer(caseworker)
    client.raise_request_exception = False
    remove_the_chain_head()  # the audit log can no longer be written
    response = client.get(reverse("api:person-detail", args=[person.pk]), headers=headers)
    assert response.status_code == 500
    assert "Hiddenname" not in response.content.decode()
