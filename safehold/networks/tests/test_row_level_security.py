"""PostgreSQL row-level security behind the network's read gate (ADR 0050; PostgreSQL only):
a restricted connection sees its agency's network rows and those of agencies sharing police
intelligence with it, writes only its own, and still resolves an object recorded elsewhere."""

import pytest
from django.db import connection

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.networks import services
from safehold.networks.tests.factories import (
    NetworkObjectFactory,
    OCGMemberFactory,
    OrganisedCrimeGroupFactory,
    link,
)
from safehold.people.tests.factories import PersonFactory
from safehold.sharing.middleware import apply_row_security, reset_row_security
from safehold.sharing.tests.factories import AgreementFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row-level security is PostgreSQL's"
)

TABLES = ("networks_organisedcrimegroup", "networks_ocgmember", "networks_networklink",
          "networks_objectholder")  # fmt: skip


def raw_counts() -> dict[str, int]:
    """What a query that forgot the read gate would see."""
    counts = {}
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 — fixed table names
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.fixture
def two_networks(db):
    home, other = AgencyFactory(), AgencyFactory()
    for agency in (home, other):
        OCGMemberFactory(ocg=OrganisedCrimeGroupFactory(owning_agency=agency))
        link(PersonFactory(owning_agency=agency), NetworkObjectFactory(owning_agency=agency))
    return home, other


def test_a_restricted_connection_sees_only_its_agencys_network(two_networks):
    home, _ = two_networks
    apply_row_security(UserFactory(agency=home))
    try:
        assert set(raw_counts().values()) == {1}
    finally:
        reset_row_security()
    assert set(raw_counts().values()) == {2}  # the control: unrestricted, both


def test_an_agreement_covering_police_intelligence_opens_the_other_network(two_networks):
    home, other = two_networks
    AgreementFactory(parties=[home, other])  # identity and casework: not the network
    apply_row_security(UserFactory(agency=home))
    try:
        assert set(raw_counts().values()) == {1}
    finally:
        reset_row_security()
    AgreementFactory(parties=[home, other], data_categories=["police_intelligence"])
    apply_row_security(UserFactory(agency=home))
    try:
        assert set(raw_counts().values()) == {2}
    finally:
        reset_row_security()


def test_the_same_phone_is_resolved_under_row_level_security(db):
    police, landlord = (UserFactory(role=Role.CASEWORKER) for _ in range(2))
    first = services.record_object(kind="phone", value="07700 900123", by=police)
    apply_row_security(landlord)
    try:
        again = services.record_object(kind="phone", value="+44 7700 900123", by=landlord)
        assert again.pk == first.pk
        assert raw_counts()["networks_objectholder"] == 1  # its own holding, not the police's
    finally:
        reset_row_security()
