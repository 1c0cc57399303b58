"""Row-level security on partner extracts (PostgreSQL only, as sharing's own RLS tests): a query
that forgot the read gate still sees only its agency's extracts, and cannot write another's."""

import pytest
from django.db import DatabaseError, connection, transaction

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.partners.models import Extract
from safehold.partners.tests.factories import ExtractFactory
from safehold.sharing.middleware import apply_row_security, reset_row_security

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row-level security is PostgreSQL's"
)


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


def test_a_restricted_connection_sees_and_writes_only_its_agencys_extracts(db):
    ours, theirs = ExtractFactory(), ExtractFactory()
    apply_row_security(UserFactory(agency=ours.owning_agency, role=Role.ANALYST))
    try:
        assert list(Extract.objects.values_list("pk", flat=True)) == [ours.pk]
        with pytest.raises(DatabaseError), transaction.atomic():
            Extract.objects.filter(pk=ours.pk).update(owning_agency=theirs.owning_agency)
    finally:
        reset_row_security()
    assert Extract.objects.count() == 2
