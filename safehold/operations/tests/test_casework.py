"""What an operation hands to the casework goes through the casework's services: a
safeguarding referral into the triage queue (linked both ways) and a closure notice onto the
case with its 48-hour court deadline."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.cases.choices import EnforcementKind, ReferralStatus
from safehold.cases.deadlines import deadlines_for
from safehold.cases.models import EnforcementAction, Referral
from safehold.cases.services import enforcement
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory
from safehold.core.errors import NotPermitted
from safehold.operations.models import OperationClosureNotice, OperationReferral
from safehold.operations.services import casework
from safehold.operations.tests.factories import OperationPremisesFactory
from safehold.sharing.tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(db):
    return ProgrammeFactory()


@pytest.fixture
def triager(programme):
    return UserFactory(agency=programme.lead_agency, role=Role.CASEWORKER)


def test_a_safeguarding_referral_goes_to_triage_and_names_the_operation(
    client, programme, triager, operation, lead
):
    premises = OperationPremisesFactory(operation=operation)
    link = casework.raise_referral(
        operation=operation, premises=premises, by=lead, what_was_seen="Resident scared",
        urgency="urgent", consent="not_known", subject_given_name="Resident",
    )  # fmt: skip
    referral = link.referral
    assert referral.status == ReferralStatus.SUBMITTED and referral.programme == programme
    assert referral.postcode == premises.location.postcode
    client.force_login(triager)
    assert referral.reference in client.get(reverse("cases:triage")).content.decode()
    page = client.get(reverse("cases:triage-referral", args=[referral.pk])).content.decode()
    # The triage team takes no part in the operation: it is told, without the operation's name.
    assert "Raised during a multi-agency operation" in page and operation.name not in page
    client.force_login(lead)  # the referrer, whose agency led the operation
    page = client.get(reverse("cases:referral-detail", args=[referral.pk])).content.decode()
    assert f"Raised during operation {operation.name}" in page
    page = client.get(reverse("operations:detail", args=[operation.pk])).content.decode()
    assert referral.reference in page
    totals = client.get(reverse("operations:detail", args=[operation.pk])).context["totals"]
    assert totals.totals["safeguarding_referrals"] == 1


def test_a_referral_refused_by_the_casework_leaves_no_link(operation, stranger, programme):
    with pytest.raises(NotPermitted):
        casework.raise_referral(
            operation=operation, by=stranger, what_was_seen="x", urgency="urgent", consent="no"
        )
    assert not Referral.objects.exists() and not OperationReferral.objects.exists()


def test_a_closure_notice_served_becomes_enforcement_with_its_court_deadline(
    client, operation, lead
):
    case = CaseFactory(programme=ProgrammeFactory(lead_agency=lead.agency))
    served = timezone.now() - datetime.timedelta(hours=2)
    link = casework.serve_closure_notice(operation=operation, by=lead, case=case, served_at=served)
    action = link.action
    assert action.case == case and action.kind == EnforcementKind.CLOSURE_NOTICE
    assert [d.due for d in deadlines_for(action)] == [served + datetime.timedelta(hours=48)]
    client.force_login(lead)
    assert (
        "Court hearing due by"
        in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    )


def test_a_closure_notice_on_a_case_the_user_cannot_change_is_refused_on_the_form(
    client, operation, partner, lead
):
    case = CaseFactory(programme=ProgrammeFactory(lead_agency=lead.agency))
    client.force_login(partner)  # takes part in the operation, but does not hold the case
    response = client.post(
        reverse("operations:closure-notice", args=[operation.pk]),
        {"case_reference": case.reference, "served_on_day": "1", "served_on_month": "5",
         "served_on_year": "2024", "served_time": "09:15"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "There is no case" in response.content.decode()
    assert not EnforcementAction.objects.exists() and not OperationClosureNotice.objects.exists()


def _shared(case, partner, level):
    agreement = AgreementFactory(parties=[case.owning_agency, partner.agency])
    case.disclosures.create(
        agreement=agreement, from_agency=case.owning_agency, to_agency=partner.agency,
        level=level, purpose="Joint operation",
    )  # fmt: skip


def _serve(client, operation, case):
    served = timezone.localdate() - datetime.timedelta(days=1)
    return client.post(
        reverse("operations:closure-notice", args=[operation.pk]),
        {"case_reference": case.reference, "served_on_day": served.day,
         "served_on_month": served.month, "served_on_year": served.year,
         "served_time": "09:15"},
    )  # fmt: skip


def test_a_partner_given_the_case_in_full_records_the_notice_it_served(
    client, operation, partner, lead
):
    """The police serve the notice on the landlord's case: the action is the police's, and the
    landlord's officer sees its court deadline on the case."""
    case = CaseFactory(programme=ProgrammeFactory(lead_agency=lead.agency))
    _shared(case, partner, "full")
    client.force_login(partner)
    assert _serve(client, operation, case).status_code == 302
    action = EnforcementAction.objects.get()
    assert action.case == case and action.agency == partner.agency
    client.force_login(lead)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Court hearing due by" in page and str(partner.agency) in page


def test_a_name_only_share_records_no_enforcement(client, operation, partner, lead):
    case = CaseFactory(programme=ProgrammeFactory(lead_agency=lead.agency))
    _shared(case, partner, "name_only")
    client.force_login(partner)
    response = _serve(client, operation, case)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"There is no case {case.reference} that you can see" in page  # name only: no record
    assert not EnforcementAction.objects.exists() and not OperationClosureNotice.objects.exists()


def test_a_partner_records_only_its_own_agencys_enforcement_and_changes_none(partner, lead):
    case = CaseFactory(programme=ProgrammeFactory(lead_agency=lead.agency))
    _shared(case, partner, "full")
    with pytest.raises(NotPermitted):  # not in the holder's name
        enforcement.add_enforcement(
            case=case, by=partner, kind=EnforcementKind.CLOSURE_NOTICE, status="in_force",
            agency=lead.agency, started_on=timezone.localdate(),
        )  # fmt: skip
    own = enforcement.add_enforcement(
        case=case, by=partner, kind=EnforcementKind.CLOSURE_NOTICE, status="in_force",
        agency=partner.agency, started_on=timezone.localdate(),
    )  # fmt: skip
    with pytest.raises(NotPermitted):  # afterwards, only the holder changes it
        enforcement.update_enforcement(action=own, by=partner, status="ended", ends_on=None)
    enforcement.update_enforcement(action=own, by=lead, status="ended", ends_on=None)
    own.refresh_from_db()
    assert own.status == "ended"
