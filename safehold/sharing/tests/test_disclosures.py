import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.audit.choices import Action
from safehold.audit.models import AuditEvent
from safehold.cases.selectors import cases_visible_to
from safehold.cases.services import casework as casework_services
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory
from safehold.people.selectors import people_visible_to
from safehold.people.tests.factories import PersonFactory
from safehold.sharing import selectors, services
from safehold.sharing.choices import AgreementStatus
from safehold.sharing.services import SharingError
from safehold.sharing.tests.factories import AgreementFactory


@pytest.fixture
def housing(db):
    return AgencyFactory(name="Stockport Homes test")


@pytest.fixture
def police(db):
    return AgencyFactory(name="Police test", kind="police")


@pytest.fixture
def housing_officer(housing):
    return UserFactory(agency=housing, role=Role.CASEWORKER)


@pytest.fixture
def police_officer(police):
    return UserFactory(agency=police, role=Role.CASEWORKER)


@pytest.fixture
def agreement(housing, police):
    return AgreementFactory(parties=[housing, police])


@pytest.fixture
def case(housing):
    return CaseFactory(programme=ProgrammeFactory(lead_agency=housing))


def test_a_full_disclosure_lets_the_recipient_see_the_case_and_its_subject(
    case, agreement, housing_officer, police_officer, police
):
    assert not cases_visible_to(police_officer).filter(pk=case.pk).exists()
    services.disclose(
        agreement=agreement,
        to_agency=police,
        level="full",
        purpose="joint visit",
        by=housing_officer,
        case=case,
    )
    assert cases_visible_to(police_officer).filter(pk=case.pk).exists()
    assert people_visible_to(police_officer).filter(pk=case.subject_id).exists()
    event = AuditEvent.objects.get(action=Action.DISCLOSE)
    assert event.agreement_id == agreement.pk and event.legal_gateway == agreement.legal_gateway
    assert event.recipient_agency_ids == str(police.pk) and event.subject_ids == str(
        case.subject_id
    )


def test_a_name_only_disclosure_shows_in_who_else_but_not_the_record(
    case, agreement, housing_officer, police_officer, police
):
    services.disclose(
        agreement=agreement,
        to_agency=police,
        level="name_only",
        purpose="awareness",
        by=housing_officer,
        case=case,
    )
    assert not cases_visible_to(police_officer).filter(pk=case.pk).exists()
    assert not people_visible_to(police_officer).filter(pk=case.subject_id).exists()
    found = selectors.who_else(police_officer, query=case.subject.family_name)
    assert [(f.name, f.owning_agency, f.level, f.reference) for f in found] == [
        (case.subject.full_name, case.owning_agency.name, "name_only", "")
    ]
    assert housing_officer.full_name in found[0].contact


@pytest.mark.parametrize("ending", ["revoke", "expire", "agreement_lapses"])
def test_access_ends_on_the_very_next_request(
    client, case, agreement, housing_officer, police_officer, police, ending
):
    disclosure = services.disclose(
        agreement=agreement,
        to_agency=police,
        level="full",
        purpose="p",
        by=housing_officer,
        case=case,
    )
    client.force_login(police_officer)
    url = reverse("cases:detail", args=[case.pk])
    assert client.get(url).status_code == 200
    if ending == "revoke":
        services.revoke(disclosure=disclosure, by=housing_officer, reason="No longer needed")
    elif ending == "expire":
        disclosure.expires_on = timezone.localdate() - datetime.timedelta(days=1)
        disclosure.save()
    else:
        agreement.end_date = timezone.localdate() - datetime.timedelta(days=1)
        agreement.save()
    assert client.get(url).status_code == 404


def test_only_the_owning_agency_may_share_and_only_with_a_party_to_a_live_agreement(
    case, agreement, housing_officer, police_officer, police
):
    with pytest.raises(SharingError, match="Only the agency that holds"):
        services.disclose(
            agreement=agreement,
            to_agency=police,
            level="full",
            purpose="p",
            by=police_officer,
            case=case,
        )
    stranger = AgencyFactory()
    with pytest.raises(SharingError, match="must both be parties"):
        services.disclose(
            agreement=agreement,
            to_agency=stranger,
            level="full",
            purpose="p",
            by=housing_officer,
            case=case,
        )
    lapsed = AgreementFactory(
        parties=[case.owning_agency, police], end_date=datetime.date(2021, 1, 1)
    )
    with pytest.raises(SharingError, match="not in force"):
        services.disclose(
            agreement=lapsed,
            to_agency=police,
            level="full",
            purpose="p",
            by=housing_officer,
            case=case,
        )
    assert not AuditEvent.objects.filter(action=Action.DISCLOSE).exists()


def test_agreement_status_by_date(housing, police):
    agreement = AgreementFactory(
        parties=[housing, police], start_date=datetime.date(2025, 1, 1), review_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2027, 1, 1),
    )  # fmt: skip
    assert agreement.status_on(datetime.date(2024, 12, 31)) == AgreementStatus.NOT_STARTED
    assert agreement.status_on(datetime.date(2025, 6, 1)) == AgreementStatus.LIVE
    assert agreement.status_on(datetime.date(2026, 6, 1)) == AgreementStatus.DUE_FOR_REVIEW
    assert agreement.is_live(datetime.date(2026, 6, 1))
    assert agreement.status_on(datetime.date(2027, 1, 2)) == AgreementStatus.LAPSED


def test_an_access_request_approved_becomes_a_full_disclosure(
    case, agreement, housing_officer, police_officer, police
):
    services.disclose(
        agreement=agreement,
        to_agency=police,
        level="name_only",
        purpose="awareness",
        by=housing_officer,
        case=case,
    )
    request = services.request_access(
        by=police_officer, reason="Joint operation at the address", case=case
    )
    with pytest.raises(SharingError):
        services.approve_request(request=request, by=police_officer, agreement=agreement)
    services.approve_request(request=request, by=housing_officer, agreement=agreement)
    assert cases_visible_to(police_officer).filter(pk=case.pk).exists()
    found = selectors.who_else(police_officer, query=case.subject.family_name)
    assert found[0].level == "full" and found[0].reference == case.reference


def test_a_declined_request_gives_nothing(case, agreement, housing_officer, police_officer):
    request = services.request_access(by=police_officer, reason="Curious", case=case)
    services.decline_request(request=request, by=housing_officer, reason="No need to know")
    request.refresh_from_db()
    assert request.status == "declined" and request.decision_reason == "No need to know"
    assert not cases_visible_to(police_officer).filter(pk=case.pk).exists()


def test_a_shared_case_is_read_only_for_the_recipient(
    client, case, agreement, housing_officer, police_officer, police
):
    services.disclose(
        agreement=agreement,
        to_agency=police,
        level="full",
        purpose="p",
        by=housing_officer,
        case=case,
    )
    client.force_login(police_officer)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    # A partner given the case in full adds to its chronology and completes its own tasks
    # (issue 14, item 20: safehold/cases/tests/test_partner_writes.py); nothing else.
    for change in ("Add intervention", "Add enforcement", "Add task", "Close case", ">Change<span"):
        assert change not in page
    for url in ("cases:add-task", "cases:close", "cases:change-risk", "cases:link-person"):
        assert client.get(reverse(url, args=[case.pk])).status_code in (403, 404)


def test_sharing_a_person_shares_that_person_only(
    housing, police, agreement, housing_officer, police_officer
):
    person = PersonFactory(owning_agency=housing)
    other = PersonFactory(owning_agency=housing)
    services.disclose(
        agreement=agreement,
        to_agency=police,
        level="full",
        purpose="p",
        by=housing_officer,
        person=person,
    )
    assert list(people_visible_to(police_officer)) == [person]
    assert other not in people_visible_to(police_officer)


def test_a_person_no_longer_shared_stays_linked_to_a_case_but_unnamed(client, db):
    """Housing links a police person shared with it; when the police stop sharing the person,
    the housing case still shows the link, without the name (on both databases)."""
    housing, police = AgencyFactory(), AgencyFactory()
    worker = UserFactory(agency=housing, role="caseworker")
    officer = UserFactory(agency=police, role="caseworker")
    theirs = PersonFactory(owning_agency=police, given_name="Quentin", family_name="Vexley")
    case = CaseFactory(programme=ProgrammeFactory(lead_agency=housing))
    shared = services.disclose(
        agreement=AgreementFactory(parties=[housing, police]), to_agency=housing, level="full",
        purpose="joint work", by=officer, person=theirs,
    )  # fmt: skip
    casework_services.link_person(case=case, by=worker, person=theirs, role="associate")
    client.force_login(worker)
    url = reverse("cases:detail", args=[case.pk])
    assert "Quentin Vexley" in client.get(url).content.decode()  # the positive control
    services.revoke(disclosure=shared, by=officer, reason="Joint work over")
    page = client.get(url).content.decode()
    assert "Vexley" not in page.split('id="people"')[1].split("</table>")[0]
    assert "A person no longer shared with your organisation" in page
