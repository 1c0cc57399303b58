import pytest
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, TeamFactory, UserFactory
from safehold.audit.choices import Action
from safehold.audit.models import AuditEvent
from safehold.cases.choices import ReferralStatus
from safehold.cases.models import Case
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory, ReferralFactory
from safehold.people.models import Location, Person
from safehold.people.tests.factories import LocationFactory, PersonFactory
from safehold.sharing.models import Disclosure
from safehold.sharing.tests.factories import AgreementFactory


@pytest.fixture
def programme(agency):
    return ProgrammeFactory(lead_agency=agency, triage_team=TeamFactory(agency=agency))


@pytest.fixture
def officer(client, programme):
    user = UserFactory(agency=programme.lead_agency, role=Role.CASEWORKER)
    client.force_login(user)
    return user


def accept_data(officer, person="new", location="new", **extra):
    return {
        "person": person,
        "location": location,
        "exploitation_type": "cuckooing",
        "risk_level": "high",
        "risk_rationale": "Dealers in the flat daily",
        "lead_officer": officer.pk,
        **extra,
    }


def test_the_queue_shows_waiting_referrals_oldest_first_with_days_waiting(
    client, officer, programme
):
    ReferralFactory(programme=programme, status=ReferralStatus.DRAFT)
    waiting = ReferralFactory(programme=programme)
    response = client.get(reverse("cases:triage"))
    assert [r.pk for r in response.context["referrals"]] == [waiting.pk]
    assert response.context["referrals"][0].days_waiting == 0


def test_accepting_creates_a_case_with_a_new_person_and_place(client, officer, programme):
    referral = ReferralFactory(
        programme=programme,
        subject_given_name="Dana",
        subject_family_name="Cole",
        postcode="sk5 7aa",
    )
    response = client.post(
        reverse("cases:triage-accept", args=[referral.pk]),
        accept_data(officer, version=referral.version),
    )
    case = Case.objects.get()
    assert response.url == reverse("cases:detail", args=[case.pk])
    assert case.reference.startswith("EXP-") and case.owning_agency == programme.lead_agency
    assert case.subject.full_name == "Dana Cole" and case.location.postcode == "SK5 7AA"
    assert case.risk_level == "high" and case.risk_history.count() == 1
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED and not referral.repeat_referral
    assert AuditEvent.objects.filter(action=Action.COLLECT, object_type="cases.case").exists()


def test_likely_duplicates_are_offered_and_a_repeat_referral_is_flagged(client, officer, programme):
    known = PersonFactory(
        owning_agency=programme.lead_agency, given_name="Dana", family_name="Cole"
    )
    place = LocationFactory(
        owning_agency=programme.lead_agency, postcode="SK5 7AA", address_line_1="4 Mill Lane"
    )
    CaseFactory(programme=programme, subject=known, location=place)
    referral = ReferralFactory(
        programme=programme,
        subject_given_name="dana",
        subject_family_name="COLE",
        postcode="SK5 7AA",
        address_line_1="4 mill lane",
    )
    page = client.get(reverse("cases:triage-referral", args=[referral.pk]))
    assert [c.person for c in page.context["people"]] == [known]
    assert "same name" in page.context["people"][0].reasons
    assert [c.location for c in page.context["places"]] == [place]
    assert "Repeat referral" in page.content.decode()
    client.post(
        reverse("cases:triage-accept", args=[referral.pk]),
        accept_data(
            officer, person=str(known.pk), location=str(place.pk), version=referral.version
        ),
    )
    referral.refresh_from_db()
    assert referral.repeat_referral
    assert Person.objects.count() == 1 and Location.objects.count() == 1
    assert Case.objects.filter(subject=known).count() == 2


def test_people_of_other_agencies_are_never_offered_as_duplicates(
    client, officer, programme, other_agency_caseworker
):
    PersonFactory(
        owning_agency=other_agency_caseworker.agency, given_name="Dana", family_name="Cole"
    )
    referral = ReferralFactory(
        programme=programme, subject_given_name="Dana", subject_family_name="Cole"
    )
    page = client.get(reverse("cases:triage-referral", args=[referral.pk]))
    assert page.context["people"] == []


def _shared_person_with_an_unshared_case(programme):
    """Another agency's person, shared in full with the triaging agency, and that agency's case
    about them (at the referral's address), which is not shared."""
    holder = AgencyFactory()
    person = PersonFactory(owning_agency=holder, given_name="Dana", family_name="Cole")
    place = LocationFactory(owning_agency=holder, postcode="SK5 7AA", address_line_1="4 Mill Lane")
    case = CaseFactory(
        programme=ProgrammeFactory(lead_agency=holder), subject=person, location=place,
        reference="GMP-2024-0001",
    )  # fmt: skip
    agreement = AgreementFactory(parties=[holder, programme.lead_agency])
    Disclosure.objects.create(
        agreement=agreement, from_agency=holder, to_agency=programme.lead_agency, person=person,
        level="full", purpose="joint work",
    )  # fmt: skip
    return person, case, agreement


def test_a_shared_persons_unshared_case_is_never_named_in_triage(client, officer, programme):
    person, case, _ = _shared_person_with_an_unshared_case(programme)
    referral = ReferralFactory(
        programme=programme, subject_given_name="Dana", subject_family_name="Cole",
        postcode="SK5 7AA", address_line_1="4 Mill Lane",
    )  # fmt: skip
    page = client.get(reverse("cases:triage-referral", args=[referral.pk]))
    # The person is shared, so they are offered; the case about them is not shared.
    assert [c.person for c in page.context["people"]] == [person]
    assert page.context["people"][0].case_references == ()
    assert "known at this address" not in page.context["people"][0].reasons
    assert case.reference not in page.content.decode()
    assert "Repeat referral" not in page.content.decode()


def test_another_agencys_unshared_case_does_not_make_a_repeat_referral(client, officer, programme):
    person, _, _ = _shared_person_with_an_unshared_case(programme)
    referral = ReferralFactory(
        programme=programme, subject_given_name="Dana", subject_family_name="Cole"
    )
    client.post(
        reverse("cases:triage-accept", args=[referral.pk]),
        accept_data(officer, person=str(person.pk), location="none", version=referral.version),
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED and not referral.repeat_referral


def test_a_shared_case_is_named_in_triage(client, officer, programme):
    """The positive control of the test above: once the case is shared, triage names it."""
    _, case, agreement = _shared_person_with_an_unshared_case(programme)
    Disclosure.objects.create(
        agreement=agreement, from_agency=case.owning_agency, to_agency=programme.lead_agency,
        case=case, level="full", purpose="joint work",
    )  # fmt: skip
    referral = ReferralFactory(
        programme=programme, subject_given_name="Dana", subject_family_name="Cole",
        postcode="SK5 7AA", address_line_1="4 Mill Lane",
    )  # fmt: skip
    page = client.get(reverse("cases:triage-referral", args=[referral.pk]))
    assert page.context["people"][0].case_references == (case.reference,)
    assert case.reference in page.content.decode()


def test_triage_records_the_people_and_places_it_offers(client, officer, programme):
    known = PersonFactory(
        owning_agency=programme.lead_agency, given_name="Dana", family_name="Cole"
    )
    place = LocationFactory(owning_agency=programme.lead_agency, postcode="SK5 7AA")
    referral = ReferralFactory(
        programme=programme, subject_given_name="Dana", subject_family_name="Cole",
        postcode="SK5 7AA",
    )  # fmt: skip
    client.get(reverse("cases:triage-referral", args=[referral.pk]))
    event = AuditEvent.objects.filter(action=Action.CONSULT, object_type="cases.referral").get()
    assert str(referral.pk) in event.object_ids and str(place.pk) in event.object_ids
    assert str(known.pk) in event.subject_ids
    assert "Cole" not in event.purpose


def test_declining_needs_a_reason_and_the_referrer_can_see_it(client, officer, programme):
    referral = ReferralFactory(programme=programme)
    page = client.post(reverse("cases:triage-decline", args=[referral.pk]), {"decline-reason": ""})
    assert "Enter why you are declining this referral" in page.content.decode()
    client.post(
        reverse("cases:triage-decline", args=[referral.pk]),
        {"decline-reason": "Not exploitation: family dispute", "version": referral.version},
    )
    referral.refresh_from_db()
    assert (
        referral.status == ReferralStatus.DECLINED
        and referral.decision_reason == "Not exploitation: family dispute"
    )


def test_signposting_records_where_to(client, officer, programme):
    referral = ReferralFactory(programme=programme)
    client.post(
        reverse("cases:triage-signpost", args=[referral.pk]),
        {
            "signpost-to": "Adult social care",
            "signpost-reason": "Care needs",
            "version": referral.version,
        },
    )
    referral.refresh_from_db()
    assert (
        referral.status == ReferralStatus.SIGNPOSTED
        and referral.signposted_to == "Adult social care"
    )


def test_a_referral_cannot_be_triaged_twice(client, officer, programme):
    referral = ReferralFactory(programme=programme)
    opened = referral.version  # both decisions made from the page as it was first shown
    client.post(
        reverse("cases:triage-decline", args=[referral.pk]),
        {"decline-reason": "No", "version": opened},
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED  # the first decision is kept
    response = client.post(
        reverse("cases:triage-accept", args=[referral.pk]), accept_data(officer, version=opened)
    )
    assert response.status_code == 302 and not Case.objects.exists()
    # Even with the version now, a referral already decided is not decided again.
    client.post(
        reverse("cases:triage-accept", args=[referral.pk]),
        accept_data(officer, version=referral.version),
    )
    assert not Case.objects.exists()


def test_referrers_cannot_triage(client, programme):
    referrer = UserFactory(agency=programme.lead_agency, role=Role.REFERRER)
    referral = ReferralFactory(programme=programme, referrer=referrer)
    client.force_login(referrer)
    assert client.get(reverse("cases:triage")).status_code == 403
    assert (
        client.post(
            reverse("cases:triage-decline", args=[referral.pk]), {"decline-reason": "x"}
        ).status_code
        == 404  # their own referral, but a refused record URL answers 404
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SUBMITTED
