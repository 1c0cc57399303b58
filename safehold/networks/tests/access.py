"""The network's URLs for the shared access tests: a group's pages and an object's page (404 to
agencies that neither hold them nor share police intelligence with their holder), the groups
list with its summary, and the forms to profile a group, record an object and add a link; and
the same through the API (/api/v1/networks/)."""

from safehold.networks.tests.factories import (
    NetworkObjectFactory,
    OCGMemberFactory,
    OCGPremisesFactory,
    OrganisedCrimeGroupFactory,
    link,
)
from safehold.people.tests.factories import LocationFactory, PersonFactory


def _group(agency):
    ocg = OrganisedCrimeGroupFactory(owning_agency=agency)
    OCGMemberFactory(ocg=ocg)
    OCGPremisesFactory(ocg=ocg)
    return ocg


def _object(agency):
    phone = NetworkObjectFactory(owning_agency=agency)
    link(PersonFactory(owning_agency=agency), phone, type="uses_phone")
    link(phone, LocationFactory(owning_agency=agency), type="seen_at")
    return phone


def _on_case(case):
    """A group of the case's holder with the case's subject as a member and its address as
    premises, and a phone linking the two (the profile and the phone page show them)."""
    ocg = OrganisedCrimeGroupFactory(owning_agency=case.owning_agency)
    OCGMemberFactory(ocg=ocg, person=case.subject)
    phone = NetworkObjectFactory(owning_agency=case.owning_agency)
    link(case.subject, phone, type="uses_phone")
    if case.location_id:
        OCGPremisesFactory(ocg=ocg, location=case.location)
        link(phone, case.location, type="seen_at")
    return ocg


RECORD_FACTORIES = {"ocg": _group, "network_object": _object}
RECORD_URLS = {
    "networks:ocg-detail": "ocg",
    "networks:ocg-edit": "ocg",
    "networks:ocg-members": "ocg",
    "networks:ocg-premises": "ocg",
    "networks:ocg-threat": "ocg",
    "networks:ocg-actions": "ocg",
    "networks:object-detail": "network_object",
    # The police intelligence role's (in no agency of the leak tests' worlds); the submitting
    # agency is sent to the submission's page, any other agency gets 404.
    "networks:from-intelligence": "intelligence",
    "api:network-group-detail": "ocg",
}
OTHER_URLS = {
    "networks:ocg-list",
    "networks:ocg-create",
    "networks:object-create",
    "networks:event-create",
    "networks:link-create",
    # Without a query: the whole network the user may see (the chart, when small enough), its
    # analysis, and the path form; with records on a case, the leak tests look for them here.
    "networks:chart",
    "networks:analysis",
    "networks:path",
    # The API: the visible network, its analyses (degree by default: every entity named), the
    # groups, and recording a link (POST only).
    "api:network",
    "api:network-analysis",
    "api:network-group-list",
    "api:network-links",
    # The intelligence gaps (and their CSV) name the groups, places, phones and people of the
    # network the user may see, and the addresses and references of their cuckooing cases.
    "networks:gaps",
}
EXPORT_FORMATS = {"networks:gaps": ("csv",)}
PUBLIC: set[str] = set()
# The list names groups and counts members (never a person, place or case); the forms show
# nothing until a search (the link page's search is the user's own people and places search).
NO_RECORDS = {
    "networks:ocg-list",
    "networks:ocg-create",
    "networks:object-create",
    "networks:event-create",
    "api:network-group-list",
    "api:network-links",
    "GET /api/v1/networks/groups/",
}
API_OPERATIONS = {
    "GET /api/v1/networks/": None,
    "GET /api/v1/networks/analysis/": None,
    "POST /api/v1/networks/links/": None,
    "GET /api/v1/networks/groups/": None,
    "GET /api/v1/networks/groups/{id}/": "ocg",
}
ON_CASE = {"ocg": _on_case}
