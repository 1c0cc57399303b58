"""The network's pages: the groups list and summary, a group's profile and its forms, an
object's page and "Add a link"; what another agency may not see is absent where the owner,
on the same URL, sees it."""

import datetime

import pytest
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.audit.models import AuditEvent
from safehold.networks.models import NetworkLink, OrganisedCrimeGroup
from safehold.networks.tests.factories import (
    FourPActionFactory,
    NetworkObjectFactory,
    OCGMemberFactory,
    OCGPremisesFactory,
    OrganisedCrimeGroupFactory,
    link,
)
from safehold.people.tests.factories import LocationFactory, PersonFactory
from safehold.sharing.tests.factories import AgreementFactory


@pytest.fixture
def officer(db):
    return UserFactory(role=Role.CASEWORKER)


@pytest.fixture
def group(officer):
    ocg = OrganisedCrimeGroupFactory(owning_agency=officer.agency, name="Brinnington Crew")
    OCGMemberFactory(ocg=ocg, person=PersonFactory(owning_agency=officer.agency,
                                                   given_name="Kyle", family_name="Marrow"))  # fmt: skip
    OCGPremisesFactory(ocg=ocg, location=LocationFactory(owning_agency=officer.agency,
                                                         address_line_1="4 Hatherlow Court"))  # fmt: skip
    return ocg


def _partner_of(agency, role=Role.CASEWORKER):
    partner = UserFactory(role=role)
    AgreementFactory(parties=[agency, partner.agency],
                     data_categories=["identity", "police_intelligence"])  # fmt: skip
    return partner


def test_the_list_counts_a_member_of_two_groups_once(client, officer, group):
    other = OrganisedCrimeGroupFactory(owning_agency=officer.agency, activities=["fraud"])
    OCGMemberFactory(ocg=other, person=group.members.get().person)
    client.force_login(officer)
    response = client.get(reverse("networks:ocg-list"))
    assert response.status_code == 200
    summary = response.context["summary"]
    assert (summary.groups, summary.current_members, summary.members_in_several_groups) == (2, 1, 1)
    assert ("Cuckooing", 1) in summary.by_activity and ("Fraud", 1) in summary.by_activity
    assert summary.by_area == [("E05000782", 2)]
    assert b"Brinnington Crew" in response.content
    assert AuditEvent.objects.filter(object_ids__contains=str(group.pk), action="consult").exists()


def test_the_list_shows_another_agencys_groups_only_under_an_intelligence_agreement(
    client, officer, group
):
    client.force_login(UserFactory(role=Role.CASEWORKER))
    assert b"Brinnington Crew" not in client.get(reverse("networks:ocg-list")).content
    client.force_login(_partner_of(officer.agency))
    assert b"Brinnington Crew" in client.get(reverse("networks:ocg-list")).content


def test_the_list_takes_the_same_queries_for_2_and_12_groups(
    client, officer, django_assert_max_num_queries
):
    for _ in range(2):
        OCGMemberFactory(ocg=OrganisedCrimeGroupFactory(owning_agency=officer.agency))
    client.force_login(officer)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(reverse("networks:ocg-list"))
    for _ in range(10):
        OCGMemberFactory(ocg=OrganisedCrimeGroupFactory(owning_agency=officer.agency))
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("networks:ocg-list"))
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_profile_shows_members_premises_and_records_the_consultation(client, officer, group):
    client.force_login(officer)
    response = client.get(reverse("networks:ocg-detail", args=[group.pk]))
    assert b"Kyle Marrow" in response.content and b"4 Hatherlow Court" in response.content
    event = AuditEvent.objects.filter(action="consult", purpose="OCG profile").get()
    assert event.subject_ids == str(group.members.get().person_id)


def test_a_partner_sees_the_profile_but_not_the_people_it_was_not_given(client, officer, group):
    client.force_login(_partner_of(officer.agency))
    response = client.get(reverse("networks:ocg-detail", args=[group.pk]))
    assert response.status_code == 200
    assert b"Kyle Marrow" not in response.content and b"Hatherlow" not in response.content
    assert b"1 other member not shared" in response.content
    # It may not change it: the forms are 404 to it, and open for the owner.
    assert client.get(reverse("networks:ocg-threat", args=[group.pk])).status_code == 404
    client.force_login(officer)
    assert client.get(reverse("networks:ocg-threat", args=[group.pk])).status_code == 200


def test_another_agency_gets_404_for_the_profile_the_owner_opens(client, officer, group):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    assert client.get(reverse("networks:ocg-detail", args=[group.pk])).status_code == 404
    client.force_login(officer)
    assert client.get(reverse("networks:ocg-detail", args=[group.pk])).status_code == 200


def test_profiling_a_group_from_the_form(client, officer):
    client.force_login(officer)
    url = reverse("networks:ocg-create")
    response = client.post(url, {"name": "", "status": "active"})
    assert b"Enter the name of the group" in response.content
    assert b"Select the group&#x27;s principal activities" in response.content
    assert not OrganisedCrimeGroup.objects.exists()
    response = client.post(url, {
        "name": "Heaton Lads", "status": "active", "activities": ["county_lines"],
        "areas": "E05000782, e01005500",
    })  # fmt: skip
    ocg = OrganisedCrimeGroup.objects.get()
    assert response.url == reverse("networks:ocg-detail", args=[ocg.pk])
    assert ocg.areas == ["E05000782", "E01005500"]


def test_a_bad_area_code_is_an_error_on_the_form_and_nothing_is_saved(client, officer):
    client.force_login(officer)
    response = client.post(reverse("networks:ocg-create"), {
        "name": "Heaton Lads", "status": "active", "activities": ["fraud"], "areas": "Heaton",
    })  # fmt: skip
    assert response.status_code == 200 and b"Enter ward or LSOA codes" in response.content
    assert not OrganisedCrimeGroup.objects.exists()


def test_adding_and_ending_a_member(client, officer, group):
    newcomer = PersonFactory(owning_agency=officer.agency, given_name="Dean", family_name="Quarry")
    client.force_login(officer)
    url = reverse("networks:ocg-members", args=[group.pk])
    response = client.get(url, {"q": "Quarry"})
    assert b"Dean Quarry" in response.content
    client.post(url, {"person": newcomer.pk, "role": "lieutenant"})
    member = group.members.get(person=newcomer)
    assert member.role == "lieutenant"
    response = client.post(
        url, {"member": member.pk, "date_to_day": "", "date_to_month": "", "date_to_year": ""}
    )
    assert b"Enter the date the membership ended" in response.content
    client.post(
        url, {"member": member.pk, "date_to_day": "3", "date_to_month": "5", "date_to_year": "2026"}
    )
    member.refresh_from_db()
    assert member.date_to == datetime.date(2026, 5, 3)


def test_adding_premises_threat_and_a_4p_action_shows_on_the_profile(client, officer, group):
    place = LocationFactory(owning_agency=officer.agency, address_line_1="9 Cuckoo Lane")
    client.force_login(officer)
    client.post(reverse("networks:ocg-premises", args=[group.pk]),
                {"location": place.pk, "why": "Cuckooed flat"})  # fmt: skip
    response = client.post(reverse("networks:ocg-threat", args=[group.pk]), {"harm": "3"})
    assert b"Enter the reason for the harm level" in response.content
    client.post(reverse("networks:ocg-threat", args=[group.pk]), {
        "harm": "3", "harm_reason": "Violence against tenants", "capability": "2",
        "capability_reason": "Several phones", "intent": "2", "intent_reason": "Expanding",
    })  # fmt: skip
    client.post(reverse("networks:ocg-actions", args=[group.pk]), {
        "strand": "protect", "description": "Lock change at the flat",
        "owner_agency": officer.agency_id,
    })  # fmt: skip
    action = group.actions.get()
    client.post(reverse("networks:ocg-actions", args=[group.pk]), {"complete": action.pk})
    response = client.get(reverse("networks:ocg-detail", args=[group.pk]))
    content = response.content.decode()
    assert "9 Cuckoo Lane" in content and "Cuckooed flat" in content
    assert 'data-testid="band">High<' in content and "Violence against tenants" in content
    assert "Lock change at the flat" in content and "Done" in content
    assert "Threat assessed: high" in content and "Protect action done" in content


def test_a_4p_action_of_another_group_cannot_be_completed_through_this_one(client, officer, group):
    elsewhere = FourPActionFactory()
    client.force_login(officer)
    response = client.post(
        reverse("networks:ocg-actions", args=[group.pk]), {"complete": elsewhere.pk}
    )
    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.status == "open"


@pytest.fixture
def phone_at_two_places(officer):
    phone = NetworkObjectFactory(owning_agency=officer.agency, value="07700 900123")
    user = PersonFactory(owning_agency=officer.agency, given_name="Kyle", family_name="Marrow")
    first = LocationFactory(owning_agency=officer.agency, address_line_1="4 Hatherlow Court")
    second = LocationFactory(owning_agency=officer.agency, address_line_1="9 Cuckoo Lane")
    link(user, phone, type="uses_phone", grading="B2P", source_reference="INT-2026-0004")
    link(phone, first, type="seen_at")
    link(phone, second, type="seen_at")
    return phone


def test_the_object_page_shows_every_link_the_user_may_see(client, officer, phone_at_two_places):
    client.force_login(officer)
    response = client.get(reverse("networks:object-detail", args=[phone_at_two_places.pk]))
    content = response.content.decode()
    for seen in ("Kyle Marrow", "4 Hatherlow Court", "9 Cuckoo Lane", "B2P", "INT-2026-0004"):
        assert seen in content
    event = AuditEvent.objects.get(action="consult", purpose="network object")
    assert event.subject_ids  # the phone's user, named as the subject


def test_a_partner_sees_the_phone_but_not_the_police_people_and_places(
    client, officer, phone_at_two_places
):
    client.force_login(_partner_of(officer.agency))
    response = client.get(reverse("networks:object-detail", args=[phone_at_two_places.pk]))
    assert response.status_code == 200
    for hidden in (b"Kyle Marrow", b"Hatherlow", b"Cuckoo Lane"):
        assert hidden not in response.content
    assert b"No links you can see" in response.content


def test_recording_the_same_phone_goes_to_the_one_already_held(
    client, officer, phone_at_two_places
):
    landlord = UserFactory(role=Role.CASEWORKER)
    client.force_login(landlord)
    response = client.post(reverse("networks:object-create"),
                           {"kind": "phone", "value": "+44 7700 900 123"})  # fmt: skip
    assert response.url == reverse("networks:object-detail", args=[phone_at_two_places.pk])
    # Now the landlord holds it and sees it, though none of the police's links.
    response = client.get(response.url)
    assert response.status_code == 200 and b"Kyle Marrow" not in response.content


def test_adding_a_link_from_an_object_to_a_person_found_by_search(client, officer):
    phone = NetworkObjectFactory(owning_agency=officer.agency)
    person = PersonFactory(owning_agency=officer.agency, given_name="Jade", family_name="Ashworth")
    outsider = PersonFactory(given_name="Jade", family_name="Ashworthy")
    client.force_login(officer)
    url = reverse("networks:link-create")
    response = client.get(url, {"from": f"object:{phone.pk}", "q": "Ashworth"})
    assert b"Jade Ashworth" in response.content and b"Ashworthy" not in response.content
    response = client.post(
        url, {"from": f"object:{phone.pk}", "q": "Ashworth", "type": "uses_phone"}
    )
    assert b"Choose the record to link to" in response.content
    client.post(url, {
        "from": f"object:{phone.pk}", "to": f"person:{person.pk}", "type": "uses_phone",
        "grading": "B2P", "source_reference": "INT-2026-0004",
    })  # fmt: skip
    saved = NetworkLink.objects.get()
    assert (saved.end_a, saved.end_b, saved.grading) == (
        f"object:{phone.pk}",
        f"person:{person.pk}",
        "B2P",
    )
    # A record the user may not see cannot be the other end, posted by hand.
    response = client.post(url, {"from": f"object:{phone.pk}", "to": f"person:{outsider.pk}",
                                 "type": "uses_phone"})  # fmt: skip
    assert response.status_code == 404 and NetworkLink.objects.count() == 1


def test_starting_a_link_from_a_record_the_user_may_not_see_is_404(client, officer):
    client.force_login(officer)
    theirs = NetworkObjectFactory(owning_agency=AgencyFactory())
    url = reverse("networks:link-create")
    assert client.get(url, {"from": f"object:{theirs.pk}"}).status_code == 404
    mine = NetworkObjectFactory(owning_agency=officer.agency)
    assert client.get(url, {"from": f"object:{mine.pk}"}).status_code == 200


def test_recording_an_event_then_linking_it_to_a_place(client, officer):
    place = LocationFactory(owning_agency=officer.agency, address_line_1="4 Hatherlow Court")
    client.force_login(officer)
    response = client.post(reverse("networks:event-create"), {"kind": "seizure", "summary": ""})
    assert b"Enter the date of the event" in response.content
    assert b"Enter a summary of the event" in response.content
    response = client.post(reverse("networks:event-create"), {
        "kind": "seizure", "date_day": "4", "date_month": "3", "date_year": "2026",
        "summary": "Phones and cash seized", "reference": "OP-HARRIER",
    })  # fmt: skip
    from safehold.networks.models import NetworkEvent

    event = NetworkEvent.objects.get()
    assert response.url == f"{reverse('networks:link-create')}?from=event:{event.pk}"
    client.post(reverse("networks:link-create"), {
        "from": f"event:{event.pk}", "to": f"location:{place.pk}", "type": "occurred_at",
    })  # fmt: skip
    assert NetworkLink.objects.get().end_b == f"location:{place.pk}"
    # The event is found by its reference when linking from elsewhere.
    response = client.get(reverse("networks:link-create"), {"q": "HARRIER"})
    assert b"Phones and cash seized" in response.content
