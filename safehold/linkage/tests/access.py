"""This app's URLs for the shared access, leak and axe tests (safehold/core/tests/test_access.py).

A pair's page and a decision's reverse page name a record of the agency (a pair one of whose
records it holds): 404 to any other agency and to roles that do not see linkage (it opens
read-only to the agency's administrators, decisions only for its IG officers and analysts).
A linkage run's page is an import run of the agency. The overview, the queue and the decisions
name records only by their agency and kind (never a name, date or address), so they show no
marker; what a pair's page shows of each record is tested in test_pages.py, world by world."""


def _pair(agency):
    from safehold.linkage.tests.factories import make_pair

    return make_pair(agency=agency)


def _decision(agency):
    from safehold.linkage.tests.factories import make_decision, make_pair

    return make_decision(make_pair(agency=agency))


def _linkage_run(agency):
    from safehold.accounts.choices import Role
    from safehold.accounts.tests.factories import UserFactory
    from safehold.imports.models import ImportRun

    return ImportRun.objects.create(
        kind="linkage_run",
        agency=agency,
        uploaded_by=UserFactory(agency=agency, role=Role.IG_OFFICER),
        file_name="linkage-request.json",
        result={"engine": "duckdb"},
    )


def _record(agency):
    """A Safehold person of the agency in the current run: the front door's request page for it
    sends its holder to the person (302) and is a 404 to an agency with no agreement with it."""
    from safehold.linkage.tests.factories import current_run, person_record
    from safehold.people.tests.factories import PersonFactory

    return person_record(current_run(), PersonFactory(owning_agency=agency))


RECORD_FACTORIES = {
    "linkage_record": _record,
    "linkage_pair": _pair,
    "linkage_decision": _decision,
    "linkage_run": _linkage_run,
}
RECORD_URLS: dict[str, str] = {
    "linkage:pair": "linkage_pair",
    "linkage:reverse": "linkage_decision",
    "linkage:run": "linkage_run",
    "linkage:request-access": "linkage_record",
}
# The fairness report counts records by surname commonness and ethnic group: no record shown.
OTHER_URLS = {
    "linkage:overview", "linkage:start", "linkage:queue", "linkage:decisions", "linkage:fairness",
}  # fmt: skip
PUBLIC: set[str] = set()
NO_RECORDS = {
    "linkage:overview", "linkage:start", "linkage:queue", "linkage:decisions", "linkage:fairness",
}  # fmt: skip
