import datetime
import html
import io
import json
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from safehold.accounts.choices import AgencyKind, Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.audit.choices import Action, Channel
from safehold.audit.models import AuditEvent
from safehold.cases.deadlines import add_months
from safehold.cases.services import cases as case_services
from safehold.cases.services import casework as casework_services
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory
from safehold.core.tests.readable import pdf_text
from safehold.governance import services
from safehold.governance.models import SubjectAccessRequest
from safehold.governance.services import GovernanceError
from safehold.governance.subject_access.formats import SECTIONS, report_html
from safehold.governance.subject_access.selectors import subject_access_data
from safehold.governance.tests.factories import ALIAS, FAMILY, GIVEN, casework
from safehold.people.models import Person
from safehold.people.tests.factories import PersonFactory
from safehold.sharing import services as sharing_services
from safehold.sharing.choices import DisclosureLevel
from safehold.sharing.tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def work():
    return casework()


def _log(client, work, received=datetime.date(2026, 1, 31)):
    client.force_login(work.ig_officer)
    return client.post(
        reverse("governance:subject-access", args=[work.person.pk]),
        {
            "received_on_day": received.day,
            "received_on_month": received.month,
            "received_on_year": received.year,
            "requested_by": "The person, by email",
        },
    )


def _download(client, sar) -> zipfile.ZipFile:
    response = client.post(reverse("governance:sar-download", args=[sar.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="subject-access-')
    return zipfile.ZipFile(io.BytesIO(response.content))


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (datetime.date(2026, 1, 31), datetime.date(2026, 2, 28)),
        (datetime.date(2024, 1, 31), datetime.date(2024, 2, 29)),
        (datetime.date(2025, 12, 15), datetime.date(2026, 1, 15)),
    ],
)
def test_a_request_is_due_one_calendar_month_after_it_was_received(client, work, received, due):
    response = _log(client, work, received)
    sar = SubjectAccessRequest.objects.get(person=work.person)
    assert response.status_code == 302
    assert response.url == reverse("governance:sar-detail", args=[sar.pk])
    assert (sar.received_on, sar.due_on) == (received, due)


def test_the_request_page_shows_the_due_date_and_the_days_left(client, work):
    today = timezone.localdate()
    _log(client, work, today - datetime.timedelta(days=3))
    sar = SubjectAccessRequest.objects.get()
    page = client.get(reverse("governance:sar-detail", args=[sar.pk])).content.decode()
    assert f"{sar.due_on:%-d %B %Y}" in page
    assert f"{(sar.due_on - today).days} days left" in page


def test_a_request_received_in_the_future_is_refused_with_a_clear_error(client, work):
    response = _log(client, work, timezone.localdate() + datetime.timedelta(days=2))
    assert response.status_code == 400
    assert "The date the request was received must be today or in the past" in (
        response.content.decode()
    )
    assert not SubjectAccessRequest.objects.exists()


def test_the_export_is_a_zip_of_json_pdf_and_the_documents(client, work):
    _log(client, work)
    archive = _download(client, SubjectAccessRequest.objects.get())
    names = archive.namelist()
    assert {"subject-access.json", "subject-access.pdf"} <= set(names)
    assert archive.read("subject-access.pdf").startswith(b"%PDF")
    data = json.loads(archive.read("subject-access.json"))
    assert list(data) == list(SECTIONS)
    documents = [n for n in names if n.startswith(f"documents/{work.case.reference}/")]
    assert len(documents) == 1 and documents[0].endswith("Closure_notice.pdf")
    assert archive.read(documents[0]) == b"%PDF-1.4 closure notice"
    assert data["documents"][0]["file"] == documents[0]


def test_the_export_holds_everything_about_the_person(client, work):
    _log(client, work)
    data = json.loads(
        _download(client, SubjectAccessRequest.objects.get()).read("subject-access.json")
    )
    assert data["person"]["given_name"] == GIVEN and data["person"]["family_name"] == FAMILY
    assert data["person"]["date_of_birth"] == "1961-05-04"
    assert data["other_names"][0]["name"] == ALIAS
    assert data["vulnerabilities"] == ["Substance misuse"]
    assert data["locations"][0]["address"].startswith("12 Larkspur Close")
    (case,) = data["cases"]
    assert case["reference"] == work.case.reference and case["role"] == "Subject of the case"
    assert "Home visit: door damaged" in [e["summary"] for e in case["chronology"]]
    assert [i["type"] for i in case["interventions"]] == ["Target hardening"]
    assert case["enforcement"][0]["kind"] == "Closure notice"
    assert case["tasks"][0]["title"] == "Check the locks"
    assert [r["level"] for r in case["risk_history"]] == ["Medium", "High"]
    # Other people on the case are third parties: their role is given, not their name.
    assert case["people_linked"][0]["role"] == "Perpetrator"
    assert work.linked.family_name not in json.dumps(data)
    assert data["referrals"][0]["reference"] == work.referral.reference
    assert data["referrals"][0]["from"] == work.other.name
    assert any(work.other.name in s["came_from"] for s in data["sources"])
    retention = {r["record"].split(" (")[0]: r for r in data["retention"]["records"]}
    assert retention[f"Case {work.case.reference}"]["review_due_on"] == (
        add_months(work.case.closed_on, 72).isoformat()
    )
    assert retention["Person record"]["rule"] == "Kept while any case they are on is kept"
    assert "audit log" in data["retention"]["note"]


def test_the_export_lists_every_disclosure_of_their_records(client, work):
    # A case they are only linked to, shared with a third agency, counts too.
    third = AgencyFactory(name="Fire and rescue")
    other_work = casework(work.agency)
    other_case = other_work.case
    case_services.reopen_case(case=other_case, by=work.caseworker, reason="New concerns")
    casework_services.link_person(
        case=other_case, by=work.caseworker, person=work.person, role="associate"
    )
    sharing_services.disclose(
        agreement=AgreementFactory(parties=[work.agency, third]), to_agency=third,
        level=DisclosureLevel.FULL, purpose="Fire safety visit", by=work.caseworker,
        case=other_case,
    )  # fmt: skip
    _log(client, work)
    data = json.loads(
        _download(client, SubjectAccessRequest.objects.get()).read("subject-access.json")
    )
    shared = {(d["record"], d["shared_with"], d["level"], d["status"]) for d in data["disclosures"]}
    assert shared == {
        (f"Case {work.case.reference}", work.other.name, "Full record", "Shared now"),
        ("Person record", work.other.name, "Name and agencies involved only", "Shared now"),
        ("Person record", work.other.name, "Full record", "Sharing stopped"),
        (f"Case {other_case.reference}", other_work.other.name, "Full record", "Shared now"),
        (f"Case {other_case.reference}", "Fire and rescue", "Full record", "Shared now"),
    }
    first = data["disclosures"][0]
    assert first["agreement"] == work.agreement.title
    assert first["legal_gateway"] == "Crime and Disorder Act 1998, section 115"
    assert first["shared_on"] and "expires_on" in first
    stopped = next(d for d in data["disclosures"] if d["status"] == "Sharing stopped")
    assert stopped["stopped_on"]


def test_every_section_of_the_json_has_a_section_in_the_pdf(work):
    data = subject_access_data(person=work.person, by=work.ig_officer)
    html = report_html(data)
    for key, title in SECTIONS.items():
        assert f'id="section-{key}"' in html
        assert title in html
    assert FAMILY in html and "Home visit: door damaged" in html


def test_restricted_fields_are_exported_to_the_ig_officer_and_withheld_from_others(work):
    Person.objects.filter(pk=work.person.pk).update(health_details="Type 2 diabetes")
    data = subject_access_data(person=work.person, by=work.ig_officer)
    assert data["person"]["health_details"] == "Type 2 diabetes"
    assert data["withheld"] == []
    admin = UserFactory(agency=work.agency, role=Role.ADMINISTRATOR)
    data = subject_access_data(person=work.person, by=admin)
    assert "health_details" not in data["person"]
    assert "Type 2 diabetes" not in json.dumps(data, default=str)
    assert [w["field"] for w in data["withheld"]] == ["Health details"]


def test_an_export_with_withheld_fields_does_not_answer_the_request(client, work):
    Person.objects.filter(pk=work.person.pk).update(police_intelligence="Known to deal")
    sar = services.log_subject_access_request(
        person=work.person,
        received_on=timezone.localdate(),
        requested_by="Them",
        by=work.ig_officer,
    )
    admin = UserFactory(agency=work.agency, role=Role.ADMINISTRATOR)
    client.force_login(admin)
    _download(client, sar)
    sar.refresh_from_db()
    assert sar.completed_at is None


def test_the_export_is_audited_on_the_export_channel_and_answers_the_request(client, work):
    _log(client, work)
    sar = SubjectAccessRequest.objects.get()
    _download(client, sar)
    event = AuditEvent.objects.filter(purpose="subject access export").get()
    assert (event.action, event.channel) == (Action.CONSULT, Channel.EXPORT)
    assert str(work.person.pk) in event.subject_ids.split()
    assert str(sar.pk) in event.object_ids.split()
    sar.refresh_from_db()
    assert sar.completed_at is not None and sar.completed_by == work.ig_officer


def test_other_agencies_get_404_even_when_the_person_is_shared_with_them(client, work):
    # work.other has the person's case in full: it can see the person, but is not the controller.
    outsider = UserFactory(agency=work.other, role=Role.IG_OFFICER)
    sar = services.log_subject_access_request(
        person=work.person,
        received_on=timezone.localdate(),
        requested_by="Them",
        by=work.ig_officer,
    )
    client.force_login(outsider)
    assert client.get(reverse("people:detail", args=[work.person.pk])).status_code == 200
    assert (
        client.get(reverse("governance:subject-access", args=[work.person.pk])).status_code == 404
    )
    assert client.get(reverse("governance:sar-detail", args=[sar.pk])).status_code == 404
    assert client.post(reverse("governance:sar-download", args=[sar.pk])).status_code == 404
    assert not AuditEvent.objects.filter(purpose="subject access export").exists()


# Governance pages do not exist for other roles, whether or not they may see the person: a 403
# would confirm what a 404 does not (issue 12, probe finding g).
@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.CASEWORKER, 404), (Role.SUPERVISOR, 404), (Role.ANALYST, 404), (Role.REFERRER, 404)],
)
def test_other_roles_of_the_holding_agency_are_refused(client, work, role, status):
    sar = services.log_subject_access_request(
        person=work.person, received_on=timezone.localdate(), requested_by="Them",
        by=work.ig_officer,
    )  # fmt: skip
    client.force_login(UserFactory(agency=work.agency, role=role))
    page = reverse("governance:subject-access", args=[work.person.pk])
    assert client.get(page).status_code == status
    assert client.post(reverse("governance:sar-download", args=[sar.pk])).status_code == status
    assert not AuditEvent.objects.filter(purpose="subject access export").exists()
    with pytest.raises(GovernanceError):
        services.log_subject_access_request(
            person=work.person, received_on=timezone.localdate(), requested_by="x",
            by=UserFactory(agency=work.agency, role=role),
        )  # fmt: skip


def test_only_the_controller_marks_a_request_answered(work):
    sar = services.log_subject_access_request(
        person=work.person, received_on=timezone.localdate(), requested_by="Them",
        by=work.ig_officer,
    )  # fmt: skip
    for caller in (
        UserFactory(agency=AgencyFactory(), role=Role.IG_OFFICER),
        UserFactory(agency=work.agency, role=Role.CASEWORKER),
    ):
        with pytest.raises(GovernanceError):
            services.complete_subject_access_request(request=sar, by=caller)
        sar.refresh_from_db()
        assert sar.completed_at is None
    services.complete_subject_access_request(request=sar, by=work.ig_officer)
    sar.refresh_from_db()
    assert sar.completed_by == work.ig_officer


def test_the_person_page_links_to_subject_access_for_governance_roles_only(client, work):
    link = reverse("governance:subject-access", args=[work.person.pk])
    client.force_login(work.ig_officer)
    assert link in client.get(reverse("people:detail", args=[work.person.pk])).content.decode()
    client.force_login(work.caseworker)
    assert link not in client.get(reverse("people:detail", args=[work.person.pk])).content.decode()


def test_the_list_shows_open_requests_by_due_date(client):
    agency = AgencyFactory(kind=AgencyKind.COUNCIL)
    ig = UserFactory(agency=agency, role=Role.IG_OFFICER)
    later = services.log_subject_access_request(
        person=PersonFactory(owning_agency=agency, family_name="Later"),
        received_on=timezone.localdate(), requested_by="Them", by=ig,
    )  # fmt: skip
    sooner = services.log_subject_access_request(
        person=PersonFactory(owning_agency=agency, family_name="Sooner"),
        received_on=timezone.localdate() - datetime.timedelta(days=20), requested_by="Them", by=ig,
    )  # fmt: skip
    elsewhere = PersonFactory(family_name="Elsewhere")
    services.log_subject_access_request(
        person=elsewhere, received_on=timezone.localdate(), requested_by="Them",
        by=UserFactory(agency=elsewhere.owning_agency, role=Role.IG_OFFICER),
    )  # fmt: skip
    client.force_login(ig)
    page = html.unescape(client.get(reverse("governance:sar-list")).content.decode())
    assert page.index(sooner.person.full_name) < page.index(later.person.full_name)
    assert elsewhere.full_name not in page


def _another_agencys_case_about(work, *, shared: bool):
    """Another agency's case on which it has linked the controller's person (shared with it),
    with a note only that agency holds; shared back to the controller in full, or not at all."""
    holder = work.other
    holder_worker = UserFactory(agency=holder, role=Role.CASEWORKER)
    programme = ProgrammeFactory(lead_agency=holder)
    case = CaseFactory(programme=programme, reference="GMP-2024-0001")
    sharing_services.disclose(
        agreement=work.agreement, to_agency=holder, level=DisclosureLevel.FULL,
        purpose="Joint work", by=work.caseworker, person=work.person,
    )  # fmt: skip
    casework_services.link_person(case=case, by=holder_worker, person=work.person, role="victim")
    casework_services.add_entry(
        case=case, by=holder_worker, kind="note", occurred_at=timezone.now(),
        summary="Qzxheldonlybythepolice intelligence",
    )  # fmt: skip
    if shared:
        sharing_services.disclose(
            agreement=work.agreement, to_agency=work.agency, level=DisclosureLevel.FULL,
            purpose="Joint work", by=holder_worker, case=case,
        )  # fmt: skip
    return case


@pytest.mark.parametrize("shared", [False, True])
def test_the_export_holds_only_the_controllers_records_and_names_who_else_holds_them(
    client, work, shared
):
    """Another agency's case about the person is never copied into the controller's export:
    unshared, it does not exist for the controller; shared, it is named as held by that agency,
    with whom to ask. The controller's own case is in full (the positive control)."""
    theirs = _another_agencys_case_about(work, shared=shared)
    _log(client, work)
    archive = _download(client, SubjectAccessRequest.objects.get())
    data = json.loads(archive.read("subject-access.json"))
    text = archive.read("subject-access.json").decode() + pdf_text(
        archive.read("subject-access.pdf")
    )
    assert [c["reference"] for c in data["cases"]] == [work.case.reference]
    assert work.case.reference in text and "Home visit: door damaged" in text
    assert theirs.reference not in text and "Qzxheldonlybythepolice" not in text
    elsewhere = [(r["held_by"], r["record"]) for r in data["held_elsewhere"]]
    assert elsewhere == ([(work.other.name, "A case")] if shared else [])
    if shared:
        assert data["held_elsewhere"][0]["ask"]
