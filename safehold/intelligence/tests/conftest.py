import pytest

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.intelligence.tests.factories import police_agency
from safehold.sharing.tests.factories import AgreementFactory


@pytest.fixture
def police(db):
    return police_agency(name="Greater Manchester Police")


@pytest.fixture
def analyst(police):
    """The police intelligence role."""
    return UserFactory(agency=police, role=Role.ANALYST)


@pytest.fixture
def landlord(db):
    return AgencyFactory(name="Stockport Homes")


@pytest.fixture
def submitter(landlord):
    return UserFactory(agency=landlord, role=Role.CASEWORKER)


@pytest.fixture
def partner(police, landlord):
    """A caseworker of an agency under a live agreement with the police (and the landlord)."""
    council = AgencyFactory(name="Stockport Council")
    AgreementFactory(parties=[police, landlord, council])
    return UserFactory(agency=council, role=Role.CASEWORKER)


@pytest.fixture
def stranger(db):
    """A caseworker of an agency with no agreement with the police."""
    return UserFactory(agency=AgencyFactory(), role=Role.CASEWORKER)
