import datetime
import os

import pytest
from django.urls import reverse
from django.utils import timezone

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.audit.chain import HASHED_FIELDS
from safehold.audit.choices import Action
from safehold.audit.models import AuditEvent
from safehold.audit.services import verify_chain
from safehold.cases.choices import ReferralStatus
from safehold.cases.models import (
    AsbHandover,
    Case,
    CaseLink,
    ChronologyEntry,
    EnforcementAction,
    EnforcementDocument,
    Intervention,
    Referral,
    RiskAssessment,
    Task,
)
from safehold.cases.services import cases as case_services
from safehold.cases.services import casework as casework_services
from safehold.cases.tests.factories import CaseFactory, ReferralFactory
from safehold.governance import services
from safehold.governance.erasure.services import (
    ErasureRefused,
    erase_case,
    erase_person,
    erase_referral,
)
from safehold.governance.models import ErasureLog, LegalHold
from safehold.governance.tests.factories import ALIAS, FAMILY, GIVEN, casework
from safehold.people.models import Location, Person, PersonAlias
from safehold.people.tests.factories import PersonFactory
from safehold.sharing.models import Disclosure
from safehold.sharing.selectors import who_else

pytestmark = pytest.mark.django_db
REASON = "Retention period ended; no reason to keep it"


@pytest.fixture
def work():
    return casework(closed_on=datetime.date(2018, 3, 1))


def held_rows(work) -> dict[str, int]:
    """Everything Safehold keeps about the case and its subject, counted."""
    case, person = work.case, work.person
    return {
        "case": Case.objects.filter(pk=case.pk).count(),
        "chronology": ChronologyEntry.objects.filter(case=case.pk).count(),
        "links": CaseLink.objects.filter(case=case.pk).count(),
        "interventions": Intervention.objects.filter(case=case.pk).count(),
        "enforcement": EnforcementAction.objects.filter(case=case.pk).count(),
        "documents": EnforcementDocument.objects.filter(action__case=case.pk).count(),
        "tasks": Task.objects.filter(case=case.pk).count(),
        "risk": RiskAssessment.objects.filter(case=case.pk).count(),
        "handover": AsbHandover.objects.filter(case=case.pk).count(),
        "disclosures": Disclosure.objects.filter(case=case.pk).count()
        + Disclosure.objects.filter(person=person.pk).count(),
        "referral": Referral.objects.filter(pk=work.referral.pk).count(),
        "person": Person.objects.filter(pk=person.pk).count(),
        "aliases": PersonAlias.objects.filter(person=person.pk).count(),
        "location": Location.objects.filter(pk=work.location.pk).count(),
    }


def test_erasing_a_case_removes_everything_held_with_it(work, django_capture_on_commit_callbacks):
    before = held_rows(work)
    assert all(before.values()), before
    path = work.document.file.path
    assert os.path.exists(path)
    with django_capture_on_commit_callbacks(execute=True):
        result = erase_case(case=work.case, by=work.ig_officer, reason=REASON)
    assert set(held_rows(work).values()) == {0}
    assert not os.path.exists(path)
    # The perpetrator linked to the case has their own record and their own retention.
    assert Person.objects.filter(pk=work.linked.pk).exists()
    assert {log.record_type for log in result.logs} == {"case", "referral", "person", "location"}


def test_files_stay_until_the_erasure_commits(work, django_capture_on_commit_callbacks):
    path = work.document.file.path
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        erase_case(case=work.case, by=work.ig_officer, reason=REASON)
    assert os.path.exists(path)  # not deleted inside the transaction
    assert len(callbacks) == 1
    callbacks[0]()
    assert not os.path.exists(path)


def test_the_erasure_log_has_counts_and_no_personal_data(work):
    result = erase_case(case=work.case, by=work.ig_officer, reason=REASON)
    case_log = ErasureLog.objects.get(record_type="case", record_id=work.case.pk)
    assert case_log.erasure_id == result.erasure_id
    assert case_log.erased_by == work.ig_officer and case_log.reason == REASON
    counts = case_log.counts
    assert counts["cases"] == 1 and counts["chronology_entries"] >= 8
    assert counts["documents"] == 1 and counts["files"] == 1
    assert counts["disclosures"] == 1 and counts["tasks"] == 1 and counts["risk_assessments"] == 2
    person_log = ErasureLog.objects.get(record_type="person", record_id=work.person.pk)
    assert person_log.counts["aliases"] == 1 and person_log.counts["disclosures"] == 2
    for log in ErasureLog.objects.all():
        text = " ".join(str(getattr(log, f.attname)) for f in ErasureLog._meta.concrete_fields)
        for value in (GIVEN, FAMILY, ALIAS, "Larkspur", "door damaged", work.case.reference):
            assert value not in text


def test_the_erase_audit_event_holds_ids_only_and_the_chain_still_verifies(work):
    erase_case(case=work.case, by=work.ig_officer, reason=REASON)
    event = AuditEvent.objects.get(action=Action.ERASE)
    assert event.object_type == "cases.case"
    ids = event.object_ids.split()
    assert ids[0] == str(work.case.pk)
    assert {str(work.referral.pk), str(work.person.pk), str(work.location.pk)} <= set(ids)
    assert event.subject_ids.split() == [str(work.person.pk)]
    assert event.purpose == "erasure (the reason is in the erasure log)"
    assert REASON not in event.purpose and ErasureLog.objects.filter(reason=REASON).exists()
    text = " ".join(str(getattr(event, name)) for name in HASHED_FIELDS)
    for value in (GIVEN, FAMILY, ALIAS, "Larkspur", "door damaged"):
        assert value not in text
    # Earlier events about the person are kept as they were.
    assert AuditEvent.objects.filter(subject_ids__contains=str(work.person.pk)).count() > 5
    assert verify_chain().ok


def test_after_erasure_the_person_cannot_be_found_anywhere(client, work):
    partner = UserFactory(agency=work.other, role=Role.CASEWORKER)
    client.force_login(work.caseworker)

    def found() -> dict[str, bool]:
        client.force_login(work.caseworker)
        people = client.get(reverse("people:list"), {"q": FAMILY}).content.decode()
        by_alias = client.get(reverse("people:list"), {"q": "Zeb"}).content.decode()
        cases = client.get(reverse("cases:list"), {"q": FAMILY}).content.decode()
        export = b"".join(client.get(reverse("cases:export")).streaming_content).decode()
        api = client.get("/api/v1/people/", {"search": FAMILY}).json()
        client.force_login(partner)
        partner_api = client.get("/api/v1/people/", {"search": FAMILY}).json()
        return {
            # The pages repeat the words searched for: look for the records' links instead.
            "people list": str(work.person.pk) in people,
            "alias search": str(work.person.pk) in by_alias,
            "case list": str(work.case.pk) in cases,
            "case export": FAMILY in export,
            "api": api["count"] > 0,
            "partner api": partner_api["count"] > 0,
            "who else": bool(who_else(partner, query=FAMILY)),
        }

    assert all(found().values()), found()
    erase_case(case=work.case, by=work.ig_officer, reason=REASON)
    assert not any(found().values()), found()
    assert client.get(reverse("people:detail", args=[work.person.pk])).status_code == 404


def test_a_legal_hold_blocks_erasure_with_a_clear_message(client, work):
    hold = services.place_hold(by=work.ig_officer, reason="Claim CL-1", person=work.person)
    before = held_rows(work)
    with pytest.raises(ErasureRefused, match="legal hold"):
        erase_case(case=work.case, by=work.ig_officer, reason=REASON)
    with pytest.raises(ErasureRefused, match="legal hold"):
        erase_person(person=work.person, by=work.ig_officer, reason=REASON)
    client.force_login(work.ig_officer)
    page = client.get(reverse("governance:erase-case", args=[work.case.pk])).content.decode()
    assert "This record cannot be erased yet" in page and "lift the hold" in page
    response = client.post(
        reverse("governance:erase-case", args=[work.case.pk]), {"reason": REASON}
    )
    assert response.status_code == 400
    assert "lift the hold before erasing" in response.content.decode()
    assert held_rows(work) == before
    assert os.path.exists(work.document.file.path)
    assert not ErasureLog.objects.exists()
    services.lift_hold(hold=hold, by=work.ig_officer, reason="Claim withdrawn")
    erase_case(case=work.case, by=work.ig_officer, reason=REASON)
    assert not Case.objects.filter(pk=work.case.pk).exists()
    assert not LegalHold.objects.exists()  # the lifted hold went with the person


def test_a_hold_on_the_case_blocks_erasing_its_subject(work):
    services.place_hold(by=work.ig_officer, reason="Inquiry", case=work.case)
    with pytest.raises(ErasureRefused, match=f"Case {work.case.reference} is under a legal hold"):
        erase_person(person=work.person, by=work.ig_officer, reason=REASON)


def test_open_cases_and_open_subject_access_requests_block_erasure(work):
    services.log_subject_access_request(
        person=work.person, received_on=timezone.localdate(), requested_by="Them",
        by=work.ig_officer,
    )  # fmt: skip
    with pytest.raises(ErasureRefused, match="subject access request"):
        erase_case(case=work.case, by=work.ig_officer, reason=REASON)
    case_services.reopen_case(case=work.case, by=work.caseworker, reason="New concerns")
    with pytest.raises(ErasureRefused, match="is open"):
        erase_case(case=work.case, by=work.ig_officer, reason=REASON)


def test_erasing_a_person_removes_their_cases_and_their_name_from_other_cases(
    work, django_capture_on_commit_callbacks
):
    elsewhere = casework(work.agency, closed_on=datetime.date(2019, 1, 1))
    case_services.reopen_case(case=elsewhere.case, by=work.caseworker, reason="Linking")
    casework_services.link_person(
        case=elsewhere.case, by=work.caseworker, person=work.person, role="associate"
    )
    assert ChronologyEntry.objects.filter(case=elsewhere.case, summary__contains=FAMILY).exists()
    path = work.document.file.path
    with django_capture_on_commit_callbacks(execute=True):
        erase_person(person=work.person, by=work.ig_officer, reason="Erasure request upheld")
    assert set(held_rows(work).values()) == {0}
    assert not os.path.exists(path)
    assert Case.objects.filter(pk=elsewhere.case.pk).exists()
    assert not CaseLink.objects.filter(person=work.person.pk).exists()
    assert not ChronologyEntry.objects.filter(summary__contains=FAMILY).exists()
    log = ErasureLog.objects.get(record_type="person")
    assert log.counts["case_links"] == 1 and log.counts["chronology_entries_redacted"] == 1
    assert ErasureLog.objects.filter(record_type="case").count() == 1


def test_a_person_on_another_agencys_case_is_not_erased_by_this_one(work):
    theirs = casework(closed_on=datetime.date(2019, 1, 1))
    CaseLink.objects.create(case=theirs.case, person=work.person, role="associate")
    with pytest.raises(ErasureRefused, match="held by another organisation"):
        erase_person(person=work.person, by=work.ig_officer, reason=REASON)


def test_erasing_a_declined_referral(client):
    # A name no generated user can share, so finding it on the log page means a leak.
    referral = ReferralFactory(
        status=ReferralStatus.DECLINED,
        triaged_at=timezone.now(),
        subject_family_name="Qzxerasedname",
    )
    ig = UserFactory(agency=referral.programme.lead_agency, role=Role.IG_OFFICER)
    client.force_login(ig)
    page = client.get(reverse("governance:erase-referral", args=[referral.pk])).content.decode()
    assert "Erasing cannot be undone" in page and referral.subject_family_name in page
    response = client.post(reverse("governance:erase-referral", args=[referral.pk]), {"reason": ""})
    assert response.status_code == 400 and "Enter why the record is being erased" in (
        response.content.decode()
    )
    response = client.post(
        reverse("governance:erase-referral", args=[referral.pk]), {"reason": REASON}
    )
    assert response.status_code == 302 and response.url == reverse("governance:erasures")
    assert not Referral.objects.filter(pk=referral.pk).exists()
    log_page = client.get(reverse("governance:erasures")).content.decode()
    assert str(referral.pk) in log_page and REASON in log_page
    assert referral.subject_family_name not in log_page


def test_a_referral_that_became_a_case_is_erased_with_its_case_only(work):
    with pytest.raises(ErasureRefused, match=f"became case {work.case.reference}"):
        erase_referral(referral=work.referral, by=work.ig_officer, reason=REASON)


def test_only_the_holding_agencys_governance_roles_can_erase(client, work):
    with pytest.raises(services.GovernanceError):
        erase_case(case=work.case, by=work.caseworker, reason=REASON)
    outsider = UserFactory(agency=work.other, role=Role.ADMINISTRATOR)
    with pytest.raises(services.GovernanceError):
        erase_case(case=work.case, by=outsider, reason=REASON)
    client.force_login(outsider)
    response = client.post(
        reverse("governance:erase-case", args=[work.case.pk]), {"reason": REASON}
    )
    assert response.status_code == 404
    client.force_login(work.caseworker)
    response = client.post(
        reverse("governance:erase-case", args=[work.case.pk]), {"reason": REASON}
    )
    assert response.status_code == 404  # not 403: that would confirm the record is there
    assert Case.objects.filter(pk=work.case.pk).exists()


def test_the_confirmation_page_says_what_will_be_erased(client, work):
    client.force_login(work.ig_officer)
    page = client.get(reverse("governance:erase-case", args=[work.case.pk])).content.decode()
    assert "What will be erased" in page
    for line in ("Cases: 1", "Documents: 1", "Referrals: 1", "People: 1", "Locations: 1"):
        assert f"<li>{line}</li>" in page


def test_erasing_from_the_queue_removes_the_item(client, work, django_capture_on_commit_callbacks):
    client.force_login(work.ig_officer)
    queue = client.get(reverse("governance:retention")).content.decode()
    assert reverse("governance:erase-case", args=[work.case.pk]) in queue
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("governance:erase-case", args=[work.case.pk]), {"reason": REASON}, follow=True
        )
    assert response.redirect_chain == [(reverse("governance:erasures"), 302)]
    queue = client.get(reverse("governance:retention")).content.decode()
    assert work.case.reference not in queue and FAMILY not in queue


# On PostgreSQL the web request runs under row-level security, which hides the other agency's
# case from the erasure; the database's own foreign-key check must still stop it.
def test_a_person_on_a_case_this_agency_cannot_see_is_not_erased(client):
    person = PersonFactory()
    theirs = CaseFactory(subject=person)
    assert theirs.owning_agency != person.owning_agency
    client.force_login(UserFactory(agency=person.owning_agency, role=Role.IG_OFFICER))
    response = client.post(reverse("governance:erase-person", args=[person.pk]), {"reason": REASON})
    assert response.status_code == 400
    assert "held by another organisation" in response.content.decode()
    assert Person.objects.filter(pk=person.pk).exists()
    assert not ErasureLog.objects.exists()


def test_an_address_another_agency_still_uses_is_kept(client, work):
    theirs = CaseFactory(location=work.location)
    assert theirs.owning_agency != work.agency
    client.force_login(work.ig_officer)
    response = client.post(
        reverse("governance:erase-case", args=[work.case.pk]), {"reason": REASON}
    )
    assert response.status_code == 302
    assert not Case.objects.filter(pk=work.case.pk).exists()
    assert Location.objects.filter(pk=work.location.pk).exists()
    assert not ErasureLog.objects.filter(record_type="location").exists()


def test_every_governance_page_renders_with_records_on_it(client, work):
    ig = work.ig_officer
    old = casework(work.agency, closed_on=datetime.date(2015, 1, 1))
    hold = services.place_hold(by=ig, reason="Claim CL-2", case=old.case)
    services.lift_hold(hold=hold, by=ig, reason="Settled")
    services.place_hold(by=ig, reason="Inquiry", person=old.person)
    sar = services.log_subject_access_request(
        person=work.person, received_on=timezone.localdate(), requested_by="Them", by=ig
    )
    services.complete_subject_access_request(request=sar, by=ig)
    services.log_subject_access_request(
        person=old.person, received_on=datetime.date(2020, 1, 1), requested_by="Them", by=ig
    )
    erase_referral(
        referral=ReferralFactory(
            programme=work.case.programme,
            status=ReferralStatus.SIGNPOSTED,
            triaged_at=timezone.now(),
        ),
        by=ig,
        reason=REASON,
    )
    client.force_login(ig)
    pages = [
        reverse(f"governance:{name}")
        for name in ("index", "sar-list", "holds", "retention", "policies", "erasures")
    ] + [
        reverse("governance:subject-access", args=[old.person.pk]),
        reverse("governance:sar-detail", args=[sar.pk]),
        reverse("governance:erase-person", args=[work.person.pk]),
        reverse("governance:retain-person", args=[work.linked.pk]),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
    listing = client.get(reverse("governance:sar-list")).content.decode()
    assert "Overdue" in listing and "Answered" in listing
