"""Fixtures of the network's page and command tests."""

import pytest

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.networks.tests.factories import (
    NetworkObjectFactory,
    OCGPremisesFactory,
    OrganisedCrimeGroupFactory,
    link,
)
from safehold.people.tests.factories import LocationFactory


@pytest.fixture
def police(db):
    return UserFactory(role=Role.CASEWORKER, agency=AgencyFactory(name="Greater Manchester Police"))


@pytest.fixture
def phone_at_two_places(police):
    """One phone seen at two cuckooed addresses, one of them a group's premises."""
    agency = police.agency
    first = LocationFactory(owning_agency=agency, address_line_1="4 Alder Court")
    second = LocationFactory(owning_agency=agency, address_line_1="9 Birch Walk")
    phone = NetworkObjectFactory(owning_agency=agency, value="07700 900123")
    group = OrganisedCrimeGroupFactory(owning_agency=agency, name="Alder Crew")
    OCGPremisesFactory(ocg=group, location=first)
    link(phone, first, type="seen_at")
    link(phone, second, type="seen_at", source_reference="INT-2026-0004", grading="B2P")
    return {"first": first, "second": second, "phone": phone, "group": group}
