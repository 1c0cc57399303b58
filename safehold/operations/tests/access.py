"""The operations module's URLs for the shared access tests: pages naming an operation (404 to
agencies that take no part), the list, planning form and results summary, and the API."""

from safehold.operations.tests.factories import (
    OperationFactory,
    OperationPremisesFactory,
    PersonOfInterestFactory,
)


def _operation(agency):
    operation = OperationFactory(owning_agency=agency)
    OperationPremisesFactory(operation=operation)
    PersonOfInterestFactory(operation=operation)
    return operation


def _on_case(case):
    """An operation of the case's holder targeting the case's address and subject."""
    operation = OperationFactory(owning_agency=case.owning_agency)
    if case.location_id:
        OperationPremisesFactory(operation=operation, location=case.location)
    PersonOfInterestFactory(operation=operation, person=case.subject)
    return operation


RECORD_FACTORIES = {"operation": _operation}
RECORD_URLS = {
    "operations:detail": "operation",
    "operations:edit": "operation",
    "operations:targets": "operation",
    "operations:results": "operation",
    "operations:referral": "operation",
    "operations:closure-notice": "operation",
    "api:operation-detail": "operation",
}
OTHER_URLS = {
    "operations:list",
    "operations:create",
    "operations:summary",
    "api:operation-list",
    "api:operation-summary",
}
PUBLIC: set[str] = set()
API_OPERATIONS = {
    "GET /api/v1/operations/": None,
    "GET /api/v1/operations/summary/": None,
    "GET /api/v1/operations/{id}/": "operation",
}
EXPORT_FORMATS = {"operations:summary": ("csv", "xlsx")}
# The list names operations (never a person, place or case); the summary and the form show
# counts and agencies only.
NO_RECORDS = {
    "operations:list",
    "operations:create",
    "operations:summary",
    "api:operation-list",
    "api:operation-summary",
    "GET /api/v1/operations/",
    "GET /api/v1/operations/summary/",
}
ON_CASE = {"operation": _on_case}
