"""The "who looked at this record" pages of a case and a person."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safehold import audit
from safehold.accounts.choices import AgencyKind, Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.audit.choices import Action, Channel
from safehold.audit.models import AuditEvent
from safehold.cases.services import casework as casework_services
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory
from safehold.sharing import services as sharing
from safehold.sharing.tests.factories import AgreementFactory


@pytest.fixture
def housing(db):
    return AgencyFactory(name="Homes test", kind=AgencyKind.HOUSING)


@pytest.fixture
def police(db):
    return AgencyFactory(name="Police test", kind=AgencyKind.POLICE)


@pytest.fixture
def owner(housing):
    return UserFactory(agency=housing, role=Role.CASEWORKER, full_name="Olive Owner")


@pytest.fixture
def police_officer(police):
    return UserFactory(agency=police, role=Role.SUPERVISOR, full_name="Percy Police")


@pytest.fixture
def case(housing):
    return CaseFactory(programme=ProgrammeFactory(lead_agency=housing))


@pytest.fixture
def shared(case, housing, police, owner):
    """The case disclosed in full to the police."""
    sharing.disclose(
        agreement=AgreementFactory(parties=[housing, police]),
        to_agency=police,
        level="full",
        purpose="joint visit",
        by=owner,
        case=case,
    )
    return case


def views_page(client, user, name, pk):
    client.force_login(user)
    return client.get(reverse(name, args=[pk]))


def test_the_case_page_lists_who_opened_shared_and_exported_the_case(
    client, shared, owner, police_officer
):
    client.force_login(police_officer)
    assert client.get(reverse("cases:detail", args=[shared.pk])).status_code == 200
    client.get(reverse("cases:export"), {"format": "csv"})
    response = views_page(client, owner, "monitoring:case-views", shared.pk)
    assert response.status_code == 200
    rows = [
        (e.actor, e.action, e.channel, e.purpose)
        for e in response.context["page"]
        if e.purpose != "who looked at this record"
    ]
    assert rows[:2] == [
        (police_officer, Action.CONSULT, Channel.EXPORT, rows[0][3]),
        (police_officer, Action.CONSULT, Channel.WEB, "view case"),
    ]
    assert rows[0][3].startswith("case list export (csv)")
    assert (owner, Action.DISCLOSE) in [(actor, action) for actor, action, _, _ in rows]
    page = response.content.decode()
    for text in ("Percy Police", "Police test", "Supervisor", "Viewed", "Export", "view case"):
        assert text in page
    # Actions and levels in words (issue 14, defect 7), never "Consult" or "full".
    assert "Olive Owner" in page and "Shared" in page and "shared (full record)" in page
    assert "Consult" not in page and "Disclose" not in page
    assert "joint visit" not in page  # the typed purpose stays on the disclosure (ADR 0025)


def test_the_person_page_includes_views_of_cases_about_them_and_refused_attempts(
    client, shared, owner, police_officer
):
    person = shared.subject
    client.force_login(police_officer)
    client.get(reverse("cases:detail", args=[shared.pk]))
    client.get(reverse("people:detail", args=[person.pk]))
    outsider = UserFactory(agency=AgencyFactory(), role=Role.CASEWORKER)
    client.force_login(outsider)
    assert client.get(reverse("people:detail", args=[person.pk])).status_code == 404
    response = views_page(client, owner, "monitoring:person-views", person.pk)
    events = list(response.context["page"])
    purposes = {(e.actor, e.action, e.purpose) for e in events}
    assert (police_officer, Action.CONSULT, "view case") in purposes
    assert (police_officer, Action.CONSULT, "view person") in purposes
    assert (outsider, Action.ACCESS_DENIED, f"GET /people/{person.pk}/") in purposes
    assert "Denied access" in response.content.decode()


def test_the_person_page_never_shows_another_agencys_own_case_about_them(
    client, shared, owner, police, police_officer
):
    """The police link the housing's person to a police case they have not shared: their work
    on it is theirs to audit. The housing's own case about the person is listed (the control)."""
    person = shared.subject
    police_case = CaseFactory(programme=ProgrammeFactory(lead_agency=police), reference="GMP-1")
    caseworker = UserFactory(agency=police, role=Role.CASEWORKER)
    casework_services.link_person(case=police_case, by=caseworker, person=person, role="victim")
    client.force_login(police_officer)
    client.get(reverse("cases:detail", args=[police_case.pk]))
    client.get(reverse("cases:detail", args=[shared.pk]))
    response = views_page(client, owner, "monitoring:person-views", person.pk)
    events = list(response.context["page"])
    assert (police_officer, "view case") in {(e.actor, e.purpose) for e in events}
    assert all(str(shared.pk) in e.object_ids for e in events if e.purpose == "view case")
    named = " ".join(f"{e.object_ids} {e.subject_ids} {e.purpose}" for e in events)
    assert str(police_case.pk) not in named and "GMP-1" not in named
    assert "GMP-1" not in response.content.decode()


def test_looking_at_who_looked_is_itself_recorded(client, case, owner):
    views_page(client, owner, "monitoring:case-views", case.pk)
    event = AuditEvent.objects.get(purpose="who looked at this record")
    assert (event.actor, event.action, event.object_ids, event.subject_ids) == (
        owner,
        Action.CONSULT,
        str(case.pk),
        str(case.subject_id),
    )


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.SUPERVISOR, Role.IG_OFFICER])
def test_the_owning_agencys_case_owners_and_ig_officers_can_open_the_pages(
    client, case, housing, role
):
    user = UserFactory(agency=housing, role=role)
    for name, pk in (
        ("monitoring:case-views", case.pk),
        ("monitoring:person-views", case.subject_id),
    ):
        assert views_page(client, user, name, pk).status_code == 200


def test_an_agency_the_record_was_disclosed_to_gets_404_and_no_link(client, shared, police_officer):
    for name, pk in (
        ("monitoring:case-views", shared.pk),
        ("monitoring:person-views", shared.subject_id),
    ):
        assert views_page(client, police_officer, name, pk).status_code == 404
    denied = AuditEvent.objects.filter(action=Action.ACCESS_DENIED, actor=police_officer)
    assert denied.count() == 2
    case_page = client.get(reverse("cases:detail", args=[shared.pk])).content.decode()
    person_page = client.get(reverse("people:detail", args=[shared.subject_id])).content.decode()
    assert "/views/" not in case_page and "/views/" not in person_page


def test_the_owner_sees_the_links_from_the_case_and_person_pages(client, case, owner):
    client.force_login(owner)
    case_page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    person_page = client.get(reverse("people:detail", args=[case.subject_id])).content.decode()
    assert reverse("monitoring:case-views", args=[case.pk]) in case_page
    assert reverse("monitoring:person-views", args=[case.subject_id]) in person_page


@pytest.mark.parametrize("role", [Role.REFERRER, Role.ANALYST])
def test_referrers_and_analysts_of_the_owning_agency_get_404(client, case, housing, role):
    user = UserFactory(agency=housing, role=role)
    assert views_page(client, user, "monitoring:case-views", case.pk).status_code == 404
    assert views_page(client, user, "monitoring:person-views", case.subject_id).status_code == 404


def test_an_unrelated_agency_gets_404(client, case):
    user = UserFactory(agency=AgencyFactory(), role=Role.IG_OFFICER)
    assert views_page(client, user, "monitoring:case-views", case.pk).status_code == 404


def test_the_page_issues_the_same_number_of_queries_for_3_and_60_events(client, case, owner):
    client.force_login(owner)
    others = [UserFactory(agency=AgencyFactory(), role=Role.CASEWORKER) for _ in range(3)]

    def look(n):
        for i in range(n):
            audit.record(
                action=Action.CONSULT,
                actor=others[i % 3],
                target=case,
                object_ids=[uuid.uuid4()],
                purpose="view case",
            )

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("monitoring:case-views", args=[case.pk]))
            assert response.status_code == 200
        return len(ctx.captured_queries)

    look(3)
    few = count_queries()
    look(60)
    assert count_queries() == few
