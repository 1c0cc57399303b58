"""Fixtures shared by every test: no world-seeding base class, just small named helpers."""

import pytest
from django.db import connection

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory


@pytest.fixture
def agency(db):
    return AgencyFactory()


@pytest.fixture
def caseworker(agency):
    return UserFactory(agency=agency, role=Role.CASEWORKER)


@pytest.fixture
def other_agency_caseworker(db):
    return UserFactory(agency=AgencyFactory(), role=Role.CASEWORKER)


@pytest.fixture
def signed_in(client, caseworker):
    client.force_login(caseworker)
    return client


def on_postgresql() -> bool:
    return connection.vendor == "postgresql"
