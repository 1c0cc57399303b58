import csv
import io
import uuid
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safehold import audit
from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.audit.choices import Action, Channel
from safehold.audit.models import AuditEvent
from safehold.cases.services import casework as casework_services
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory
from safehold.people.tests.factories import PersonFactory
from safehold.sharing import services as sharing
from safehold.sharing.tests.factories import AgreementFactory


@pytest.fixture
def ig_officer(agency):
    return UserFactory(agency=agency, role=Role.IG_OFFICER)


def test_caseworkers_cannot_search_the_audit_log(signed_in):
    response = signed_in.get(reverse("audit:search"))
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action=Action.ACCESS_DENIED).exists()


def test_search_by_user_finds_that_users_events_only(client, ig_officer, caseworker):
    other = UserFactory(agency=caseworker.agency)
    person = PersonFactory(owning_agency=caseworker.agency)
    audit.record(action=Action.CONSULT, actor=caseworker, target=person, subjects=[person])
    audit.record(action=Action.CONSULT, actor=other, target=person, subjects=[person])
    client.force_login(ig_officer)
    response = client.get(reverse("audit:search"), {"actor": caseworker.pk})
    events = list(response.context["page"])
    assert events and all(e.actor == caseworker for e in events)


def test_search_by_record_shows_other_agencies_views_of_our_record(
    client, ig_officer, caseworker, other_agency_caseworker
):
    person = PersonFactory(owning_agency=ig_officer.agency)
    audit.record(
        action=Action.CONSULT, actor=other_agency_caseworker, target=person, subjects=[person]
    )
    client.force_login(ig_officer)
    response = client.get(reverse("audit:search"), {"record": str(person.pk)})
    assert [e.actor for e in response.context["page"]] == [other_agency_caseworker]


def test_search_never_shows_another_agencys_activity_on_their_own_records(
    client, ig_officer, other_agency_caseworker
):
    theirs = PersonFactory(owning_agency=other_agency_caseworker.agency)
    audit.record(
        action=Action.CONSULT, actor=other_agency_caseworker, target=theirs, subjects=[theirs]
    )
    client.force_login(ig_officer)
    response = client.get(reverse("audit:search"), {"record": str(theirs.pk)})
    assert list(response.context["page"]) == []


def test_search_by_date_range_rejects_an_end_before_the_start(client, ig_officer):
    client.force_login(ig_officer)
    response = client.get(
        reverse("audit:search"),
        {
            "date_from_day": "10",
            "date_from_month": "5",
            "date_from_year": "2026",
            "date_to_day": "1",
            "date_to_month": "5",
            "date_to_year": "2026",
        },
    )
    assert "The end date must be the same as or after the start date" in response.content.decode()


def test_csv_export_has_the_events_and_is_itself_audited(client, ig_officer, caseworker):
    person = PersonFactory(owning_agency=caseworker.agency)
    audit.record(
        action=Action.ALTER,
        actor=caseworker,
        target=person,
        subjects=[person],
        purpose="changed: family_name",
    )
    client.force_login(ig_officer)
    response = client.get(reverse("audit:export"), {"actor": caseworker.pk})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r["action"] for r in rows] == ["Changed"]  # in words (issue 14, defect 7)
    assert rows[0]["object_ids"] == str(person.pk)
    assert AuditEvent.objects.filter(actor=ig_officer, channel=Channel.EXPORT).count() == 1


@pytest.fixture
def partial_sharing(db):
    """The police hold a person and an exploitation case about them; they share the person
    with the council but not the case (issue 12, probe finding 7a)."""
    police, council, third = AgencyFactory(), AgencyFactory(), AgencyFactory()
    pc = UserFactory(agency=police, role=Role.CASEWORKER)
    world = SimpleNamespace(
        police=police,
        council=council,
        pc=pc,
        police_ig=UserFactory(agency=police, role=Role.IG_OFFICER),
        council_ig=UserFactory(agency=council, role=Role.IG_OFFICER),
        person=PersonFactory(owning_agency=police),
        unshared_person=PersonFactory(owning_agency=police),
    )
    world.case = CaseFactory(
        programme=ProgrammeFactory(lead_agency=police),
        reference="GMP-2024-0001",
        subject=world.person,
    )
    agreement = AgreementFactory(parties=[police, council, third])
    for to in (council, third):
        sharing.disclose(
            agreement=agreement, to_agency=to, level="full", purpose="joint work", by=pc,
            person=world.person,
        )  # fmt: skip
    world.third = third
    # The police's own work: a note on the unshared case, its page, their person list
    # (naming the shared person and one they did not share) and the case list export.
    casework_services.add_entry(
        case=world.case, by=pc, kind="note", occurred_at=timezone.now(), summary="Seen"
    )
    police_client = Client()
    police_client.force_login(pc)
    for url in (
        reverse("cases:detail", args=[world.case.pk]),
        reverse("people:detail", args=[world.person.pk]),
        reverse("people:list"),
        reverse("cases:export"),
    ):
        assert police_client.get(url).status_code == 200
    return world


def _page_and_csv(client, user, record_id) -> tuple[list[AuditEvent], str, str]:
    client.force_login(user)
    page = client.get(reverse("audit:search"), {"record": str(record_id)})
    assert page.status_code == 200
    export = client.get(reverse("audit:export"), {"record": str(record_id)})
    assert export.status_code == 200
    csv_text = b"".join(export.streaming_content).decode()
    return list(page.context["page"]), page.content.decode(), csv_text


def test_a_shared_persons_audit_shows_none_of_the_unshared_case(client, partial_sharing):
    w = partial_sharing
    events, html, csv_text = _page_and_csv(client, w.council_ig, w.person.pk)
    # What the police did to the shared person itself is shown ...
    purposes = {(e.actor, e.purpose) for e in events}
    assert (w.pc, "view person") in purposes and (w.pc, "person list") in purposes
    # ... but nothing about their unshared case, nor the person they did not share, nor who
    # else the person was shared with.
    for text in (html, csv_text):
        assert str(w.person.pk) in text
        for hidden in (
            str(w.case.pk), "GMP-2024-0001", "chronology", str(w.unshared_person.pk),
            str(w.third.pk),
        ):  # fmt: skip
            assert hidden not in text, hidden
    assert all(e.object_type == "people.person" for e in events)


def test_the_owner_sees_the_unshared_cases_events_on_the_same_urls(client, partial_sharing):
    w = partial_sharing
    for record in (w.person, w.case):
        events, html, csv_text = _page_and_csv(client, w.police_ig, record.pk)
        assert any(e.purpose == "GMP-2024-0001: chronology note added" for e in events)
        for text in (html, csv_text):
            assert "GMP-2024-0001: chronology note added" in text and str(w.case.pk) in text
    _, html, _ = _page_and_csv(client, w.police_ig, w.person.pk)
    assert str(w.unshared_person.pk) in html and str(w.third.pk) not in html  # ids not shown


def test_an_unshared_case_gives_what_an_id_that_names_nothing_gives(client, partial_sharing):
    w = partial_sharing
    client.force_login(w.council_ig)
    answers = []
    for record_id in (str(w.case.pk), str(uuid.uuid4())):
        # Trying the case page is refused alike (and recorded alike, as the council's own).
        assert client.get(reverse("cases:detail", args=[record_id])).status_code == 404
        events, _, csv_text = _page_and_csv(client, w.council_ig, record_id)
        rows = csv.DictReader(io.StringIO(csv_text.replace(record_id, "ID")))
        answers.append(
            (
                [(e.actor, e.action, e.object_type, e.object_ids.replace(record_id, "ID"), e.purpose.replace(record_id, "ID")) for e in events],
                [(r["actor"], r["action"], r["object_type"], r["object_ids"], r["purpose"]) for r in rows],
            )
        )  # fmt: skip
    assert answers[0] == answers[1]
    assert answers[0][0] == [(w.council_ig, "access_denied", "cases.case", "ID", "GET /cases/ID/")]


def test_a_shared_cases_own_events_are_shown_but_not_those_of_its_parts(client, partial_sharing):
    w = partial_sharing
    agreement = AgreementFactory(parties=[w.police, w.council])
    sharing.disclose(
        agreement=agreement, to_agency=w.council, level="full", purpose="joint work", by=w.pc,
        case=w.case,
    )  # fmt: skip
    police_client = Client()
    police_client.force_login(w.pc)
    assert police_client.get(reverse("cases:detail", args=[w.case.pk])).status_code == 200
    events, html, csv_text = _page_and_csv(client, w.council_ig, w.case.pk)
    assert (w.pc, "view case") in {(e.actor, e.purpose) for e in events}
    assert {e.object_type for e in events} == {"cases.case"}
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    assert [r["recipient_agency_ids"] for r in rows if r["action"] == "Shared"] == [
        str(w.council.pk)
    ]
    for text in (html, csv_text):
        assert "chronology note added" not in text and str(w.unshared_person.pk) not in text


# Issue 14, defect 6: found by what people know a record by, shown by its name, in words.


def test_search_by_case_reference_finds_the_cases_events_named_as_the_case(client, partial_sharing):
    w = partial_sharing
    client.force_login(w.police_ig)
    page = client.get(reverse("audit:search"), {"record": "gmp-2024-0001"})
    html = page.content.decode()
    events = list(page.context["page"])
    assert any(e.purpose == "GMP-2024-0001: chronology note added" for e in events)
    assert all(str(w.case.pk) in f"{e.object_ids} {e.subject_ids}" for e in events)
    # The record by its human reference, linked to its page; the action in words.
    case_url = reverse("cases:detail", args=[w.case.pk])
    assert f'<a class="govuk-link" href="{case_url}">Case GMP-2024-0001: ' in html
    assert ">Viewed<" in html.replace("<br>", "<") and ">consult<" not in html


def test_an_unshared_cases_reference_gives_what_a_reference_of_nothing_gives(
    client, partial_sharing
):
    w = partial_sharing
    client.force_login(w.council_ig)
    answers = []
    for reference in ("GMP-2024-0001", "GMP-2024-9999"):
        page = client.get(reverse("audit:search"), {"record": reference})
        export = client.get(reverse("audit:export"), {"record": reference})
        csv_text = b"".join(export.streaming_content).decode()
        answers.append((list(page.context["page"]), csv_text.count("\n")))
        assert str(w.case.pk) not in page.content.decode() + csv_text
    assert answers[0] == answers[1] == ([], 1)
    # The positive control: the holder's officer finds it by the same words.
    client.force_login(w.police_ig)
    assert list(client.get(reverse("audit:search"), {"record": "GMP-2024-0001"}).context["page"])


def test_an_ig_officer_finds_a_persons_events_by_their_name(client, partial_sharing):
    w = partial_sharing
    client.force_login(w.council_ig)
    page = client.get(reverse("audit:search"), {"record": w.person.full_name})
    events = list(page.context["page"])
    assert (w.pc, "view person") in {(e.actor, e.purpose) for e in events}
    html = page.content.decode()
    assert f"Person {w.person.full_name}" in html
    # Only the shared person: never the police's unshared case about them, nor its note.
    assert "GMP-2024-0001" not in html and str(w.case.pk) not in html
    assert all(e.object_type == "people.person" for e in events)
    # A name the council may not see finds nothing of it.
    page = client.get(reverse("audit:search"), {"record": w.unshared_person.full_name})
    assert all(str(w.unshared_person.pk) not in e.object_ids for e in page.context["page"])


def test_the_search_is_recorded_without_what_was_typed(client, partial_sharing):
    w = partial_sharing
    client.force_login(w.council_ig)
    client.get(reverse("audit:search"), {"record": w.person.full_name})
    event = AuditEvent.objects.filter(actor=w.council_ig, object_type="audit.auditevent").get()
    assert event.action == Action.CONSULT and event.purpose == "audit search: record"


def test_results_are_paged_50_at_a_time(client, ig_officer, caseworker):
    person = PersonFactory(owning_agency=caseworker.agency)
    with audit.batched():
        for _ in range(51):
            audit.record(action=Action.CONSULT, actor=caseworker, target=person, subjects=[person])
    client.force_login(ig_officer)
    first = client.get(reverse("audit:search"), {"actor": caseworker.pk})
    second = client.get(reverse("audit:search"), {"actor": caseworker.pk, "page": 2})
    assert len(first.context["page"]) == 50 and len(second.context["page"]) == 1
    assert "Showing 1 to 50" in first.content.decode()
