"""Services check their actor, so the API and the command line cannot go around a page's check.

Each service is called by a user who may not make the change (another agency's caseworker, a
role of the holding agency that does not edit, a recipient of the case in full), and must
refuse with NotPermitted and change nothing; the same call by the holder's caseworker works
(the positive control).
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, TeamFactory, UserFactory
from safehold.audit.models import AuditEvent
from safehold.cases.choices import (
    EnforcementKind,
    EnforcementStatus,
    EntryKind,
    LinkRole,
    ReferralStatus,
)
from safehold.cases.models import (
    AsbHandover,
    EnforcementAction,
    InterventionType,
    Programme,
    Referral,
    Task,
)
from safehold.cases.services import cases as services
from safehold.cases.services import casework as casework_services
from safehold.cases.services import enforcement as enforcement_services
from safehold.cases.services import referrals as referral_services
from safehold.cases.services import tasks as task_services
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory, ReferralFactory
from safehold.core.errors import NotPermitted
from safehold.people import services as people_services
from safehold.people.tests.factories import LocationFactory, PersonFactory
from safehold.sharing.models import Disclosure
from safehold.sharing.tests.factories import AgreementFactory

TODAY = datetime.date(2024, 3, 1)


@pytest.fixture
def world(db):
    holder = AgencyFactory()
    programme = ProgrammeFactory(lead_agency=holder)
    case = CaseFactory(programme=programme, referral_date=datetime.date(2024, 1, 1))
    recipient = AgencyFactory()
    Disclosure.objects.create(
        agreement=AgreementFactory(parties=[holder, recipient]), from_agency=holder,
        to_agency=recipient, case=case, level="full", purpose="joint work",
    )  # fmt: skip
    return {
        "case": case,
        "programme": programme,
        "person": PersonFactory(owning_agency=holder),
        "location": LocationFactory(owning_agency=holder),
        "action": EnforcementAction.objects.create(
            case=case, kind=EnforcementKind.WARNING, agency=holder, started_on=TODAY
        ),
        "task": Task.objects.create(case=case, title="Visit", owner_agency=holder, due_on=TODAY),
        "referral": ReferralFactory(programme=programme),
        "owner": UserFactory(agency=holder, role=Role.CASEWORKER),
        "callers": {
            "another agency's caseworker": UserFactory(
                agency=AgencyFactory(), role=Role.CASEWORKER
            ),
            "the recipient of the case in full": UserFactory(
                agency=recipient, role=Role.CASEWORKER
            ),
            "the holder's IG officer": UserFactory(agency=holder, role=Role.IG_OFFICER),
            "the holder's analyst": UserFactory(agency=holder, role=Role.ANALYST),
        },
    }


CALLS = {
    "add_entry": lambda w, by: casework_services.add_entry(
        case=w["case"], by=by, kind=EntryKind.NOTE, occurred_at=timezone.now(), summary="Note"
    ),
    "link_person": lambda w, by: casework_services.link_person(
        case=w["case"], by=by, person=w["person"], role=LinkRole.ASSOCIATE
    ),
    "add_intervention": lambda w, by: casework_services.add_intervention(
        case=w["case"],
        by=by,
        type=InterventionType.objects.first(),
        agency=w["case"].owning_agency,
        started_on=TODAY,
    ),
    "add_enforcement": lambda w, by: enforcement_services.add_enforcement(
        case=w["case"],
        by=by,
        kind=EnforcementKind.WARNING,
        status=EnforcementStatus.IN_FORCE,
        agency=w["case"].owning_agency,
        started_on=TODAY,
    ),
    "update_enforcement": lambda w, by: enforcement_services.update_enforcement(
        action=w["action"], by=by, status=EnforcementStatus.ENDED, ends_on=TODAY
    ),
    "add_document": lambda w, by: enforcement_services.add_document(
        action=w["action"], by=by, file=SimpleUploadedFile("n.pdf", b"%PDF-1.4")
    ),
    "add_task": lambda w, by: task_services.add_task(
        case=w["case"], by=by, title="Call", due_on=TODAY
    ),
    "complete_task": lambda w, by: task_services.complete_task(task=w["task"], by=by),
    "change_risk": lambda w, by: services.change_risk(
        case=w["case"], by=by, level="high", rationale="Worse"
    ),
    "assign_lead_officer": lambda w, by: services.assign_lead_officer(
        case=w["case"], by=by, officer=w["owner"]
    ),
    "close_case": lambda w, by: services.close_case(
        case=w["case"],
        by=by,
        reason="positively_resolved",
        closed_on=TODAY,
        tenancy_sustained=True,
        open_tasks="close",
    ),
    "open_case": lambda w, by: services.open_case(
        programme=w["programme"],
        referral_date=TODAY,
        subject=w["person"],
        exploitation_type="cuckooing",
        by=by,
    ),
    "accept": lambda w, by: referral_services.accept(
        referral=w["referral"],
        by=by,
        person=w["person"],
        location=w["location"],
        exploitation_type="cuckooing",
        risk_level="standard",
        risk_rationale="",
    ),
    # The use cases that record a person, a place or a document on the way (ADR 0032).
    "accept with a new person and place": lambda w, by: CALLS["accept"](
        {
            **w,
            "person": referral_services.FROM_REFERRAL,
            "location": referral_services.FROM_REFERRAL,
        },
        by,
    ),
    "link a new person": lambda w, by: casework_services.link_person(
        case=w["case"],
        by=by,
        person=casework_services.NewPerson("Sam", "Newly-Known"),
        role=LinkRole.ASSOCIATE,
    ),
    "add_enforcement with a document": lambda w, by: enforcement_services.add_enforcement(
        case=w["case"],
        by=by,
        kind=EnforcementKind.CLOSURE_NOTICE,
        status=EnforcementStatus.IN_FORCE,
        agency=w["case"].owning_agency,
        started_on=TODAY,
        documents=[SimpleUploadedFile("notice.pdf", b"%PDF-1.4")],
    ),
    "decline": lambda w, by: referral_services.decline(referral=w["referral"], by=by, reason="x"),
    "signpost": lambda w, by: referral_services.signpost(
        referral=w["referral"], by=by, to="GP", reason="x"
    ),
    "create_person": lambda w, by: people_services.create_person(
        owning_agency=w["case"].owning_agency, given_name="A", family_name="B", by=by
    ),
    "update_person": lambda w, by: people_services.update_person(
        person=w["person"], by=by, family_name="Changed"
    ),
    "create_location": lambda w, by: people_services.create_location(
        owning_agency=w["case"].owning_agency, by=by, address_line_1="1 Road"
    ),
    "update_location": lambda w, by: people_services.update_location(
        location=w["location"], by=by, address_line_1="2 Road"
    ),
}


# What a partner given the case in full may do too (issue 14, item 20; the world's task is the
# holder's, so completing it stays refused): tested in test_partner_writes.py.
PARTNER_MAY = {"add_entry"}


@pytest.mark.parametrize("call", sorted(CALLS))
def test_a_service_refuses_a_caller_who_may_not_make_the_change(world, call):
    for who, caller in world["callers"].items():
        if call in PARTNER_MAY and who == "the recipient of the case in full":
            continue
        before = AuditEvent.objects.count()
        with pytest.raises(NotPermitted):
            CALLS[call](world, caller)
        assert AuditEvent.objects.count() == before, f"{call} by {who} wrote an event"
    CALLS[call](world, world["owner"])  # the positive control: the holder's caseworker may
    assert AuditEvent.objects.count() > before


@pytest.mark.parametrize("outsider_kind", ["person", "location"])
def test_a_case_cannot_be_opened_on_a_person_or_place_the_caller_may_not_see(world, outsider_kind):
    elsewhere = AgencyFactory()
    record = (PersonFactory if outsider_kind == "person" else LocationFactory)(
        owning_agency=elsewhere
    )
    kwargs = {
        "subject": world["person"],
        outsider_kind if outsider_kind == "location" else "subject": record,
    }
    with pytest.raises(NotPermitted):
        services.open_case(
            programme=world["programme"], referral_date=TODAY, exploitation_type="cuckooing",
            by=world["owner"], **kwargs,
        )  # fmt: skip


def test_only_the_asb_team_acknowledges_a_handover(world):
    team = TeamFactory(agency=world["case"].owning_agency)
    handover = AsbHandover.objects.create(case=world["case"], team=team)
    with pytest.raises(NotPermitted):
        services.acknowledge_handover(handover=handover, by=world["owner"])
    world["owner"].teams.add(team)
    assert services.acknowledge_handover(handover=handover, by=world["owner"]).acknowledged_at


def test_only_an_administrator_of_the_lead_agency_sets_up_a_programme(world):
    agency = world["case"].owning_agency
    team = TeamFactory(agency=agency)
    refused = [
        UserFactory(agency=agency, role=Role.CASEWORKER),
        UserFactory(agency=agency, role=Role.IG_OFFICER),
        UserFactory(agency=AgencyFactory(), role=Role.ADMINISTRATOR),
    ]
    for caller in refused:
        with pytest.raises(NotPermitted):
            services.create_programme(name="P", lead_agency=agency, triage_team=team, by=caller)
    assert not Programme.objects.filter(name="P").exists()
    admin = UserFactory(agency=agency, role=Role.ADMINISTRATOR)
    services.create_programme(name="P", lead_agency=agency, triage_team=team, by=admin)
    assert Programme.objects.filter(name="P", lead_agency=agency).exists()


def test_a_referral_sent_in_one_go_is_sent_by_someone_signed_in(world):
    fields = {"subject_given_name": "Alex", "subject_family_name": "Sent", "postcode": "SK1 3XE"}
    with pytest.raises(NotPermitted):
        referral_services.send_referral(programme=world["programme"], by=None, **fields)
    assert not Referral.objects.filter(subject_family_name="Sent").exists()
    referrer = UserFactory(agency=AgencyFactory(), role=Role.REFERRER)
    referral = referral_services.send_referral(programme=world["programme"], by=referrer, **fields)
    assert referral.status == ReferralStatus.SUBMITTED and referral.referrer == referrer
