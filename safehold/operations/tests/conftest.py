import pytest

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.operations.tests.factories import OperationFactory, OperationPartnerFactory


@pytest.fixture
def lead(db):
    return UserFactory(role=Role.CASEWORKER)


@pytest.fixture
def partner(db):
    return UserFactory(role=Role.CASEWORKER)


@pytest.fixture
def stranger(db):
    return UserFactory(agency=AgencyFactory(), role=Role.CASEWORKER)


@pytest.fixture
def operation(lead, partner):
    operation = OperationFactory(owning_agency=lead.agency, briefing="Dog at flat 4")
    OperationPartnerFactory(operation=operation, agency=partner.agency)
    return operation
