"""The intelligence module's URLs for the shared access tests: pages naming a submission (404
to agencies it is not shared with), the list, the submission form and the police queue, and the
API.

The submitting agency's users see a submission's status (its record URLs open for them: the
assessment page sends them to the submission's page). No list shows a person, place or case:
the submitter's list shows references and statuses, a partner's the sanitised text, and only
the police intelligence role (in no agency of the leak tests' worlds) sees the original."""

from safehold.intelligence.tests.factories import IntelligenceFactory, MentionFactory


def _intelligence(agency):
    intelligence = IntelligenceFactory(owning_agency=agency)
    MentionFactory(intelligence=intelligence)
    return intelligence


RECORD_FACTORIES = {"intelligence": _intelligence}
RECORD_URLS = {
    "intelligence:detail": "intelligence",
    "intelligence:start": "intelligence",
    "intelligence:assess": "intelligence",
    "api:intelligence-detail": "intelligence",
}
OTHER_URLS = {
    "intelligence:list",
    "intelligence:submit",
    "intelligence:queue",
    "api:intelligence-list",
}
PUBLIC: set[str] = set()
API_OPERATIONS = {
    "GET /api/v1/intelligence/": None,
    "POST /api/v1/intelligence/": None,
    "GET /api/v1/intelligence/{id}/": "intelligence",
}
NO_RECORDS = {
    "intelligence:list",
    "intelligence:submit",
    "intelligence:queue",
    "api:intelligence-list",
    "GET /api/v1/intelligence/",
}
