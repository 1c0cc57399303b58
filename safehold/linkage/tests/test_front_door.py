"""At the front door: a referral's possible matches across the partnership, in full only to who
may see the record, by name and agency only to an agreement's parties (with an access request
that, approved, shows the record in full), and nothing at all to anyone else (issue 17, item 4)."""

import pytest
from django.utils.html import escape

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.audit.choices import Action
from safehold.audit.models import AuditEvent
from safehold.cases.tests.factories import ReferralFactory
from safehold.linkage import front_door, selectors, services
from safehold.linkage.models import Record
from safehold.linkage.tests.partnership import make_partnership
from safehold.sharing.choices import AccessRequestStatus
from safehold.sharing.models import AccessRequest


@pytest.fixture
def linked(db):
    partnership = make_partnership()
    services.run_linkage(by=None)
    return partnership


def referral_naming(run, key, *, programme_agency=None):
    name, born = front_door._names(run, [key])[key]
    first, _, last = name.partition(" ")
    extra = {"programme__lead_agency": programme_agency} if programme_agency else {}
    return name, ReferralFactory(
        subject_given_name=first, subject_family_name=last, subject_date_of_birth=born, **extra
    )


def test_a_referral_matches_a_police_record_in_full_for_the_police_and_by_name_for_partners(
    linked,
):
    run = selectors.current_run()
    target = next(k for k in linked.truth if k.startswith(str(linked.police.pk)))
    name, referral = referral_naming(run, target)
    own = [
        m
        for m in front_door.matches_for_referral(linked.users["police_caseworker"], referral)
        if m.record.key == target
    ]
    assert own and own[0].full and own[0].name == name and own[0].date_of_birth
    assert own[0].probability >= 0.5 and own[0].reasons
    council = [
        m
        for m in front_door.matches_for_referral(linked.users["council_caseworker"], referral)
        if m.record.key == target
    ]
    assert council and not council[0].full and council[0].name == name
    assert council[0].date_of_birth is None and council[0].href == "" and council[0].request_href
    stranger = UserFactory(agency=AgencyFactory(), role=Role.CASEWORKER)
    assert front_door.matches_for_referral(stranger, referral) == []
    # Analysts browse no people: no matches for them.
    assert front_door.matches_for_referral(linked.users["police_analyst"], referral) == []


def test_a_partner_asks_for_an_extract_record_and_once_approved_sees_it_in_full(linked, client):
    run = selectors.current_run()
    target = next(k for k in linked.truth if k.startswith(str(linked.landlord.pk)))
    record = Record.objects.get(run=run, key=target)
    name, referral = referral_naming(run, target, programme_agency=linked.council)
    caseworker = linked.users["council_caseworker"]
    client.force_login(caseworker)
    # Triaging the referral, the council's caseworker sees the landlord knows this person: the
    # name and the agency, and a way to ask; not the date of birth.
    url = f"/linkage/matches/{record.pk}/request-access/"
    page = client.get(f"/cases/triage/{referral.pk}/").content.decode()
    assert "Possible matches across the partnership" in page
    assert "Stockport Homes" in page and name in page and url in page
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": ""}).status_code == 400
    response = client.post(url, {"reason": "Referral for cuckooing at this address"})
    assert response.status_code == 302
    request = AccessRequest.objects.get(record_key=target)
    assert request.owning_agency == linked.landlord and name in request.record_label
    assert client.get(url).status_code == 302  # asked already: to the sent list
    # The landlord's IG officer approves; the council's caseworker now sees the row in full.
    # The landlord's caseworker (who decides its access requests) approves it in the inbox.
    client.force_login(linked.users["landlord_caseworker"])
    inbox = client.get("/sharing/requests/").content.decode()
    approve = f"/sharing/requests/{request.pk}/approve/"
    assert escape(request.record_label) in inbox and approve in inbox
    assert client.get(approve).status_code == 200
    assert client.post(approve, {"agreement": linked.agreement.pk}).status_code == 302
    request.refresh_from_db()
    client.force_login(caseworker)
    assert escape(request.record_label) in client.get("/sharing/requests/sent/").content.decode()
    assert request.status == AccessRequestStatus.APPROVED
    shown = [
        m for m in front_door.matches_for_referral(caseworker, referral) if m.record.key == target
    ]
    assert shown and shown[0].full and shown[0].date_of_birth
    assert client.get(url).status_code == 404  # nothing left to ask for
    # The police, party to the same agreement, still see the name only.
    police = [
        m
        for m in front_door.matches_for_referral(linked.users["police_caseworker"], referral)
        if m.record.key == target
    ]
    assert police and not police[0].full
    # The request, its approval and the pages are in the audit log by the record's key, never
    # by the name the requester was shown (the label is on the request, not in the log).
    events = AuditEvent.objects.filter(object_ids__contains=target)
    assert {e.action for e in events} >= {Action.COLLECT, Action.DISCLOSE}
    for given_or_family in name.split():
        assert not AuditEvent.objects.filter(purpose__icontains=given_or_family).exists()


def test_the_request_page_is_a_404_to_who_may_not_be_shown_the_match(linked, client):
    run = selectors.current_run()
    record = Record.objects.filter(run=run, agency=linked.landlord).first()
    url = f"/linkage/matches/{record.pk}/request-access/"
    client.force_login(UserFactory(agency=AgencyFactory(), role=Role.CASEWORKER))
    assert client.get(url).status_code == 404
    client.force_login(linked.users["landlord_ig_officer"])  # their own record: nothing to ask
    assert client.get(url)["Location"] == "/partners/extracts/"
    client.force_login(linked.users["police_caseworker"])  # positive control: a partner
    assert client.get(url).status_code == 200


def test_a_person_page_lists_the_person_s_matches(linked, client):
    run = selectors.current_run()
    held = Record.objects.filter(run=run, person__isnull=False)
    person_record = next(
        r for r in held if Record.objects.filter(run=run, cluster_id=r.cluster_id).count() > 1
    )
    other = (
        Record.objects.filter(run=run, cluster_id=person_record.cluster_id)
        .exclude(pk=person_record.pk)
        .select_related("agency")[0]
    )
    other_name = front_door.record_name(run, other)
    client.force_login(linked.users["council_caseworker"])
    page = client.get(f"/people/{person_record.person_id}/").content.decode()
    assert "Possible matches across the partnership" in page
    assert other.agency.name in page and other_name in page
    client.force_login(linked.users["police_caseworker"])  # the council's person: not theirs
    assert client.get(f"/people/{person_record.person_id}/").status_code == 404


def test_the_repeat_referral_flag_uses_the_resolved_identity(linked, client):
    """A referral naming a Safehold person of the council who has a case: the council's
    caseworker triaging it is warned of a repeat referral (by the run's identity, whatever the
    spelling); the warning names only cases the user may see."""
    from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory

    run = selectors.current_run()
    record = Record.objects.filter(run=run, person__isnull=False).select_related("person")[0]
    person = record.person
    programme = ProgrammeFactory(lead_agency=linked.council)
    case = CaseFactory(programme=programme, owning_agency=linked.council, subject=person)
    referral = ReferralFactory(
        programme=programme,
        subject_given_name=person.given_name,
        subject_family_name=person.family_name,
        subject_date_of_birth=person.date_of_birth,
    )
    client.force_login(linked.users["council_caseworker"])
    page = client.get(f"/cases/triage/{referral.pk}/").content.decode()
    assert "Repeat referral: linkage holds this person to be" in page and case.reference in page
    # The police's caseworker may not see the council's person or case: no such warning.
    matches = front_door.matches_for_referral(linked.users["police_caseworker"], referral)
    assert front_door.repeats(linked.users["police_caseworker"], matches) == []
