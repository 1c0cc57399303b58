"""Schemathesis over /api/v1/schema/, in process: every operation, called with a token of each
role on a world with open and closed cases and draft and submitted referrals, answers without a
5xx and as the schema says (status, content type, body)."""

import datetime

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import load_all_checks
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.cases.choices import CaseStatus, ClosureReason, ReferralStatus
from safehold.cases.models import Task
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory, ReferralFactory

load_all_checks()
from schemathesis.checks import not_a_server_error  # noqa: E402 (registered by load_all_checks)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Per operation, role and mode: enough to reach every enum and optional field, while the whole
# test stays within a minute or two on a small machine.
EXAMPLES = 8


@pytest.fixture
def in_process():
    """The WSGI application on the test's own connection: Django closes a connection at each
    request's start and end when it is in a transaction, which would end the test's (on
    PostgreSQL; SQLite's in-memory test database ignores the close). The test client must not
    be used meanwhile: it connects the handler again after each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def world():
    """One agency's users of every role, with what makes optional fields empty: an open case
    (no closure reason), a closed one, a draft referral (no urgency, no consent yet). Returns
    the users and the ids to ask the detail operations for (random ids find nothing)."""
    programme = ProgrammeFactory()
    agency = programme.lead_agency
    users = {role: UserFactory(agency=agency, role=role) for role in Role.values}
    open_case = CaseFactory(programme=programme, lead_officer=users[Role.CASEWORKER])
    closed_case = CaseFactory(
        programme=programme,
        status=CaseStatus.CLOSED,
        closed_on=datetime.date.today(),
        closure_reason=ClosureReason.values[0],
    )
    Task.objects.create(
        case=open_case,
        title="Visit",
        owner=users[Role.CASEWORKER],
        owner_agency=agency,
        due_on=datetime.date.today(),
    )
    referrals = []
    for role in (Role.REFERRER, Role.CASEWORKER):
        draft = ReferralFactory(
            programme=programme,
            referrer=users[role],
            referrer_agency=agency,
            status=ReferralStatus.DRAFT,
            urgency="",
            consent="",
            submitted_at=None,
        )
        sent = ReferralFactory(programme=programme, referrer=users[role], referrer_agency=agency)
        referrals += [draft, sent]
    cases = [open_case, closed_case]
    group = _network(agency, open_case, users[Role.CASEWORKER])
    meeting, operation, intelligence = _agency_records(agency, open_case, users)
    ids = {
        "/api/v1/networks/groups/{id}/": [group.pk],
        "/api/v1/cases/{id}/": [c.pk for c in cases],
        "/api/v1/people/{id}/": [c.subject_id for c in cases],
        "/api/v1/referrals/{id}/": [r.pk for r in referrals],
        # Without a real id these answer only 404, and their 200 body is never checked.
        "/api/v1/meetings/meetings/{id}/": [meeting.pk],
        "/api/v1/meetings/meetings/{id}/agenda/": [meeting.pk],
        "/api/v1/operations/{id}/": [operation.pk],
        "/api/v1/intelligence/{id}/": [intelligence.pk],
    }
    return users, ids


def _agency_records(agency, case, users):
    """A meeting with a case on its agenda and an action, an operation with premises, a
    person of interest and results, and a submission of intelligence: the agency's own."""
    from safehold.intelligence.tests.factories import IntelligenceFactory
    from safehold.meetings.tests.factories import ActionFactory, MeetingFactory, flagged
    from safehold.operations.tests.factories import (
        OperationFactory,
        OperationPremisesFactory,
        OperationResultFactory,
        PersonOfInterestFactory,
    )

    meeting = MeetingFactory(agency=agency, chair=users[Role.CASEWORKER])
    flagged(meeting, case)
    ActionFactory(meeting=meeting, case=case, owner=users[Role.CASEWORKER])
    operation = OperationFactory(owning_agency=agency)
    OperationPremisesFactory(operation=operation)
    PersonOfInterestFactory(operation=operation, person=case.subject)
    OperationResultFactory(operation=operation)
    intelligence = IntelligenceFactory(owning_agency=agency, submitted_by=users[Role.CASEWORKER])
    return meeting, operation, intelligence


def _network(agency, case, user):
    """A group profiled in full (a member, premises, a threat assessment, a 4P action) and a
    phone linking its member and premises, so the network's operations answer with every part
    of their schema filled."""
    from safehold.networks import services as networks
    from safehold.networks.tests.factories import (
        FourPActionFactory,
        NetworkObjectFactory,
        OCGMemberFactory,
        OCGPremisesFactory,
        OrganisedCrimeGroupFactory,
        link,
    )
    from safehold.people.tests.factories import LocationFactory

    group = OrganisedCrimeGroupFactory(owning_agency=agency)
    place = LocationFactory(owning_agency=agency)
    OCGMemberFactory(ocg=group, person=case.subject)
    OCGPremisesFactory(ocg=group, location=place)
    networks.assess_threat(
        ocg=group, harm=2, harm_reason="Harm", capability=2, capability_reason="Capability",
        intent=3, intent_reason="Intent", by=user,
    )  # fmt: skip
    FourPActionFactory(ocg=group, owner_user=user)
    phone = NetworkObjectFactory(owning_agency=agency)
    link(case.subject, phone, type="uses_phone", grading="B2P", source_reference="INT-1")
    link(phone, place, type="seen_at", date_from=datetime.date(2026, 1, 2))
    return group


@pytest.mark.parametrize("role", Role.values)
def test_every_operation_answers_as_the_schema_says(bearer, in_process, role):
    users, ids = world()
    headers = bearer(users[role])
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/schema/?format=json", in_process, headers=headers
    )
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10  # the positive control: the schema was read whole
    failures = []

    def attempt(label, run):
        # Every operation is tried and every failure shown, not only the first.
        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:
            failures.append(f"{label}: {exc}")

    for operation in operations:
        for pk in ids.get(operation.path, []):
            case = operation.Case(path_parameters={"id": str(pk)})
            attempt(
                f"{operation.label} {pk}",
                lambda case=case: case.validate_response(
                    case.call(app=in_process, headers=headers), checks=CHECKS
                ),
            )
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def call(case):
                answer = case.call(app=in_process, headers=headers)
                case.validate_response(answer, checks=CHECKS, headers=headers)

            attempt(f"{operation.label} ({mode.value})", call)
    assert not failures, "\n\n".join(failures)
