"""The registries' records, for the tests of this folder that go over every URL."""

import pytest

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.core.tests.test_access import PARTNERSHIP_FACTORIES, RECORD_FACTORIES


@pytest.fixture
def records(db):
    """One record of each kind, owned by the 'home' agency, and its administrator."""
    home = AgencyFactory()
    made = {kind: make(home) for kind, make in RECORD_FACTORIES.items()}
    made |= {kind: make() for kind, make in PARTNERSHIP_FACTORIES.items()}
    return {**made, "agency": home, "admin": UserFactory(agency=home, role=Role.ADMINISTRATOR)}
