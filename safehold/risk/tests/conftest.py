import pytest

from safehold.accounts.tests.factories import AgencyFactory
from safehold.linkage.tests.factories import current_run, extract_record, person_record
from safehold.risk.tests.factories import extract, flagged, tenancy
from safehold.sharing.tests.factories import AgreementFactory


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    """Each test's own analytics store (the extracts' Parquet)."""
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def world():
    """A tenant of Stockport Homes more than 8 weeks in arrears who is, by the current linkage
    run, the same person as a Safehold person of the council with a learning disability."""
    homes = AgencyFactory(name="Stockport Homes")
    council = AgencyFactory(name="Stockport Council")
    agreement = AgreementFactory(parties=[homes, council])
    people = extract(
        homes, "people", [("H-1", "Ada", "Lovelace", "", "SK1 3XE", "")], agreement=agreement
    )
    extract(homes, "tenancies", [tenancy("T-1", "H-1", weeks="10")], agreement=agreement)
    person = flagged("learning_disability", owning_agency=council)
    run = current_run()
    tenant = extract_record(run, people, "H-1")
    own = person_record(run, person)
    # One cluster, named by its smallest key.
    cluster = min(tenant.key, own.key)
    for record in (tenant, own):
        record.cluster_id = cluster
        record.save(update_fields=["cluster_id"])
    return {
        "homes": homes,
        "council": council,
        "person": person,
        "cluster": cluster,
        "tenant": tenant,
    }
