"""Small builders for governance tests: requests and holds on records of a given agency."""

import datetime
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from safehold.accounts.choices import AgencyKind, Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.cases.choices import (
    ClosureReason,
    EnforcementKind,
    EnforcementStatus,
    EntryKind,
    LinkRole,
)
from safehold.cases.models import Case, InterventionType
from safehold.cases.services import cases as case_services
from safehold.cases.services import casework as casework_services
from safehold.cases.services import enforcement as enforcement_services
from safehold.cases.services import referrals as referral_services
from safehold.cases.services import tasks as task_services
from safehold.cases.tests.factories import ProgrammeFactory, ReferralFactory
from safehold.governance.models import LegalHold, SubjectAccessRequest
from safehold.people import services as people_services
from safehold.people.models import Vulnerability
from safehold.people.tests.factories import LocationFactory, PersonFactory
from safehold.sharing import services as sharing_services
from safehold.sharing.choices import DisclosureLevel
from safehold.sharing.tests.factories import AgreementFactory


def subject_access_request(agency, **fields) -> SubjectAccessRequest:
    received_on = fields.pop("received_on", datetime.date(2026, 1, 31))
    values = {
        "person": PersonFactory(owning_agency=agency),
        "received_on": received_on,
        "due_on": datetime.date(2026, 2, 28),
        "requested_by": "The person, by email",
        "created_by": UserFactory(agency=agency, role=Role.IG_OFFICER),
        **fields,
    }
    return SubjectAccessRequest.objects.create(**values)


def legal_hold(agency, **fields) -> LegalHold:
    values = {
        "reason": "Civil claim, ref CL-1",
        "placed_by": UserFactory(agency=agency, role=Role.IG_OFFICER),
        "placed_at": timezone.now(),
        **fields,
    }
    if "case" not in values and "person" not in values:
        values["person"] = PersonFactory(owning_agency=agency)
    return LegalHold.objects.create(**values)


@dataclass
class Casework:
    """A closed case with something of every kind on it, and the people around it."""

    agency: object
    other: object
    ig_officer: object
    caseworker: object
    person: object
    location: object
    referral: object
    case: object
    linked: object
    document: object
    agreement: object
    disclosures: list


GIVEN, FAMILY, ALIAS = "Zebedee", "Quartermaine", "Zeb the Cat"


def casework(agency=None, *, closed_on: datetime.date | None = None) -> Casework:
    """Build it through the services, as the application would (so audit events exist too)."""
    agency = agency or AgencyFactory()
    other = AgencyFactory(kind=AgencyKind.POLICE)
    ig = UserFactory(agency=agency, role=Role.IG_OFFICER)
    worker = UserFactory(agency=agency, role=Role.CASEWORKER)
    programme = ProgrammeFactory(lead_agency=agency)
    person = people_services.create_person(
        owning_agency=agency, given_name=GIVEN, family_name=FAMILY,
        date_of_birth=datetime.date(1961, 5, 4), aliases=[ALIAS],
        vulnerabilities=Vulnerability.objects.filter(code="substance_misuse"), by=worker,
    )  # fmt: skip
    location = LocationFactory(owning_agency=agency, address_line_1="12 Larkspur Close")
    referral = ReferralFactory(
        programme=programme, referrer_agency=other, subject_given_name=GIVEN,
        subject_family_name=FAMILY, address_line_1="12 Larkspur Close",
    )  # fmt: skip
    case = referral_services.accept(
        referral=referral, by=worker, person=person, location=location,
        exploitation_type="cuckooing", risk_level="high", risk_rationale="Dealers in the flat",
    )  # fmt: skip
    linked = PersonFactory(
        owning_agency=agency, given_name="Qzxlinked", family_name="Qzxperpetrator"
    )
    casework_services.link_person(case=case, by=worker, person=linked, role=LinkRole.PERPETRATOR)
    casework_services.add_entry(
        case=case, by=worker, kind=EntryKind.VISIT, occurred_at=timezone.now(),
        summary="Home visit: door damaged",
    )  # fmt: skip
    casework_services.add_intervention(
        case=case, by=worker, type=InterventionType.objects.get(code="target_hardening"),
        agency=agency, started_on=timezone.localdate(),
    )  # fmt: skip
    action = enforcement_services.add_enforcement(
        case=case, by=worker, kind=EnforcementKind.CLOSURE_NOTICE, status=EnforcementStatus.IN_FORCE,
        agency=other, started_on=timezone.localdate(), against=linked,
    )  # fmt: skip
    document = enforcement_services.add_document(
        action=action, by=worker, name="Closure notice.pdf",
        file=SimpleUploadedFile("notice.pdf", b"%PDF-1.4 closure notice"),
    )  # fmt: skip
    task_services.add_task(
        case=case, by=worker, title="Check the locks", due_on=timezone.localdate()
    )
    case_services.change_risk(case=case, by=worker, level="medium", rationale="Dealers gone")
    agreement = AgreementFactory(parties=[agency, other])
    # The stopped share first: a later share of the person to the same agency would replace it
    # (one share per agency and record, issue 14).
    stopped = sharing_services.disclose(
        agreement=agreement, to_agency=other, level=DisclosureLevel.FULL,
        purpose="Court bundle", by=worker, person=person,
    )  # fmt: skip
    sharing_services.revoke(disclosure=stopped, by=worker, reason="Hearing over")
    disclosures = [
        sharing_services.disclose(
            agreement=agreement, to_agency=other, level=DisclosureLevel.FULL,
            purpose="Joint visit", by=worker, case=case,
        ),
        sharing_services.disclose(
            agreement=agreement, to_agency=other, level=DisclosureLevel.NAME_ONLY,
            purpose="Who else is working with them", by=worker, person=person,
        ),
        stopped,
    ]  # fmt: skip
    case_services.close_case(
        case=case, by=worker, reason=ClosureReason.NO_ENGAGEMENT,
        closed_on=timezone.localdate(), tenancy_sustained=None, open_tasks="close",
    )  # fmt: skip
    if closed_on is not None:
        Case.objects.filter(pk=case.pk).update(
            referral_date=closed_on - datetime.timedelta(days=30), closed_on=closed_on
        )
    case.refresh_from_db()
    return Casework(
        agency, other, ig, worker, person, location, referral, case, linked, document,
        agreement, disclosures,
    )  # fmt: skip
