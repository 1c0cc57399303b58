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
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory
from safehold.core.errors import NotPermitted
from safehold.operations.models import OperationClosureNotice, OperationReferral
from safehold.operations.services import casework
from safehold.operations.tests.factories import OperationPremisesFactory

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
