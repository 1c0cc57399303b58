"""This app's URLs for the shared access, leak and axe tests (safehold/core/tests/test_access.py).

The list shows the user's own agency's extracts (kind, date, file, agreement, counts: no person,
case or place); the upload page is a form; an upload's page (an import run) is its agency's,
404 to any other and to roles that may not upload extracts."""


def _extract_run(agency):
    from safehold.accounts.choices import Role
    from safehold.accounts.tests.factories import UserFactory
    from safehold.imports.models import ImportRun

    return ImportRun.objects.create(
        kind="partner_extract",
        agency=agency,
        uploaded_by=UserFactory(agency=agency, role=Role.IG_OFFICER),
        file_name="people.csv",
        result={"kind": "people"},
    )


RECORD_FACTORIES = {"extract_run": _extract_run}
RECORD_URLS: dict[str, str] = {"partners:upload-run": "extract_run"}
OTHER_URLS = {"partners:extracts", "partners:upload"}
PUBLIC: set[str] = set()
NO_RECORDS = {"partners:extracts", "partners:upload"}
