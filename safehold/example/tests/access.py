"""The example module's URLs for the shared access tests (safehold/core/tests/test_access.py):
a URL naming a visit or a case, with a factory for a visit held by an agency."""

from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory
from safehold.example.tests.factories import VisitFactory


def _visit(agency):
    return VisitFactory(case=CaseFactory(programme=ProgrammeFactory(lead_agency=agency)))


RECORD_FACTORIES = {"visit": _visit}
RECORD_URLS = {
    "example:detail": "visit",
    "example:create": "case",
    "api:visit-detail": "visit",
}
OTHER_URLS = {"example:list", "api:visit-list"}
PUBLIC: set[str] = set()
# The OpenAPI operations and the kind of record their {id} names.
API_OPERATIONS = {
    "GET /api/v1/example/visits/": None,
    "GET /api/v1/example/visits/{id}/": "visit",
}
# A visit on the leak tests' case, so the visit list and the API list show its markers.
ON_CASE = {"visit": lambda case: VisitFactory(case=case)}
