"""This app's URLs for the access test (safehold/core/tests/test_access.py): the postcode
points upload (administrators) and its runs."""


def _postcodes_run(agency):
    from safehold.accounts.choices import Role
    from safehold.accounts.tests.factories import UserFactory
    from safehold.imports.models import ImportRun

    return ImportRun.objects.create(
        kind="postcodes",
        agency=agency,
        uploaded_by=UserFactory(agency=agency, role=Role.ADMINISTRATOR),
        file_name="wa.csv",
    )


# An import run belongs to the agency that uploaded it (like every upload's run).
RECORD_FACTORIES: dict = {"postcodes_run": _postcodes_run}
RECORD_URLS: dict[str, str] = {"geography:postcodes-upload-run": "postcodes_run"}
OTHER_URLS = {"geography:postcodes-upload"}
PUBLIC: set[str] = set()
POST_ONLY: set[str] = set()
# Postcode points are public geography, never personal records.
NO_RECORDS = set(OTHER_URLS)
