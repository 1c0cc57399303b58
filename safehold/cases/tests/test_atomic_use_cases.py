"""A use case that writes in several steps is one transaction by itself (ADR 0032).

Each test makes the last step fail with a real invalid input — no mock of Safehold's own
parts, and no request transaction around it (these call the services as the API or the
command line would) — and checks that nothing of the first steps is left: no row, no case
event, no audit event.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.audit.models import AuditEvent
from safehold.cases.choices import EnforcementKind, EnforcementStatus, LinkRole, ReferralStatus
from safehold.cases.models import Case, CaseLink, ChronologyEntry, EnforcementAction
from safehold.cases.services import casework, enforcement, referrals
from safehold.cases.services.cases import CaseError
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory, ReferralFactory
from safehold.core.errors import NotPermitted
from safehold.people.models import Location, Person
from safehold.people.tests.factories import LocationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    return ProgrammeFactory()


@pytest.fixture
def worker(programme):
    return UserFactory(agency=programme.lead_agency, role=Role.CASEWORKER)


@pytest.fixture
def case(programme):
    return CaseFactory(programme=programme)


def _counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (
            AuditEvent, Person, Location, Case, CaseLink, ChronologyEntry, EnforcementAction,
        )
    }  # fmt: skip


def test_accepting_a_referral_with_a_new_person_leaves_nobody_behind_when_the_case_is_refused(
    programme, worker
):
    referral = ReferralFactory(programme=programme, subject_family_name="Leftover")
    elsewhere = LocationFactory(owning_agency=AgencyFactory())  # an address they may not use
    before = _counts()
    with pytest.raises(NotPermitted):
        referrals.accept(
            referral=referral, by=worker, person=referrals.FROM_REFERRAL, location=elsewhere,
            exploitation_type="cuckooing", risk_level="high", risk_rationale="Daily visitors",
        )  # fmt: skip
    assert _counts() == before
    assert not Person.objects.filter(family_name="Leftover").exists()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SUBMITTED and referral.triaged_by is None


def test_accepting_with_a_new_person_and_place_records_both_and_opens_the_case(programme, worker):
    """The positive control of the test above: the same call with an address it may use."""
    referral = ReferralFactory(programme=programme, subject_family_name="Recorded")
    case = referrals.accept(
        referral=referral, by=worker, person=referrals.FROM_REFERRAL,
        location=referrals.FROM_REFERRAL, exploitation_type="cuckooing", risk_level="high",
        risk_rationale="Daily visitors",
    )  # fmt: skip
    assert case.subject.family_name == "Recorded"
    assert case.subject.owning_agency == case.location.owning_agency == programme.lead_agency
    assert case.location.postcode == referral.postcode
    assert AuditEvent.objects.filter(purpose="person created", actor=worker).count() == 1
    assert AuditEvent.objects.filter(purpose="location created", actor=worker).count() == 1


def test_linking_a_new_person_leaves_nobody_behind_when_the_link_fails(case, worker):
    before = _counts()
    with pytest.raises(IntegrityError):  # a link must have a role: the database refuses
        casework.link_person(
            case=case, by=worker, person=casework.NewPerson("Jo", "Unlinked"), role=None
        )
    assert _counts() == before
    assert not Person.objects.filter(family_name="Unlinked").exists()
    link = casework.link_person(
        case=case, by=worker, person=casework.NewPerson("Jo", "Linked"), role=LinkRole.FAMILY
    )
    assert link.person.family_name == "Linked"
    assert link.person.owning_agency_id == case.owning_agency_id


def test_an_enforcement_action_whose_document_is_refused_is_not_recorded(case, worker):
    before = _counts()
    with pytest.raises(CaseError, match="The selected file is empty"):
        enforcement.add_enforcement(
            case=case, by=worker, kind=EnforcementKind.CLOSURE_NOTICE,
            status=EnforcementStatus.IN_FORCE, agency=case.owning_agency,
            started_on=datetime.date(2024, 3, 1),
            documents=[SimpleUploadedFile("notice.pdf", b"")],
        )  # fmt: skip
    assert _counts() == before
    action = enforcement.add_enforcement(
        case=case, by=worker, kind=EnforcementKind.CLOSURE_NOTICE,
        status=EnforcementStatus.IN_FORCE, agency=case.owning_agency,
        started_on=datetime.date(2024, 3, 1),
        documents=[SimpleUploadedFile("notice.pdf", b"%PDF-1.4")],
    )  # fmt: skip
    assert [d.name for d in action.documents.all()] == ["notice.pdf"]
