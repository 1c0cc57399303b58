"""Agencies, people, a case and an agreement for the sharing page tests (a module that defines
its own fixture of the same name uses its own)."""

import datetime

import pytest

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory
from safehold.people.tests.factories import LocationFactory, PersonFactory
from safehold.sharing.tests.factories import AgreementFactory


@pytest.fixture
def housing(db):
    return AgencyFactory(name="Homes for Testing")


@pytest.fixture
def police(db):
    return AgencyFactory(name="Testshire Police", kind="police")


@pytest.fixture
def care(db):
    return AgencyFactory(name="Testshire Adult Care", kind="adult_social_care")


@pytest.fixture
def housing_officer(housing):
    return UserFactory(agency=housing, role=Role.CASEWORKER, full_name="Jo Holder")


@pytest.fixture
def police_officer(police):
    return UserFactory(agency=police, role=Role.CASEWORKER, full_name="Sam Asker")


@pytest.fixture
def housing_ig(housing):
    return UserFactory(agency=housing, role=Role.IG_OFFICER)


@pytest.fixture
def agreement(housing, police, care):
    return AgreementFactory(parties=[housing, police, care], title="Testshire sharing agreement")


@pytest.fixture
def case(housing):
    subject = PersonFactory(
        owning_agency=housing,
        given_name="Robin",
        family_name="Quillfeather",
        date_of_birth=datetime.date(1961, 7, 23),
    )
    location = LocationFactory(
        owning_agency=housing, address_line_1="17 Hidden Walk", postcode="SK5 9ZZ"
    )
    return CaseFactory(
        programme=ProgrammeFactory(lead_agency=housing), subject=subject, location=location
    )
