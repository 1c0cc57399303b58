"""Fixtures of the historic cases import and export tests: a programme with the geography
loaded, the good file imported into it, and an officer of its lead agency."""

import pytest

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.cases import imports
from safehold.cases.tests.factories import ProgrammeFactory
from safehold.cases.tests.imports.files import GOOD_FILE
from safehold.geography.services import load_stockport_extract


@pytest.fixture
def programme(db):
    load_stockport_extract()
    return ProgrammeFactory(name="Exploitation project")


@pytest.fixture
def imported(programme):
    return imports.import_cases(data=GOOD_FILE.read_bytes(), programme=programme, by=None)


@pytest.fixture
def officer(programme):
    return UserFactory(agency=programme.lead_agency, role=Role.CASEWORKER)
