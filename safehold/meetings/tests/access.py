"""The meetings' URLs for the shared access tests (safehold/core/tests/test_access.py)."""

from safehold.meetings.tests.factories import (
    ActionFactory,
    MeetingFactory,
    SeriesFactory,
    flagged,
)


def _on_case(case):
    """The leak tests' case on a meeting of its holder, with an action on it owned by the
    holder: the lists of actions show the case's reference to the holder's users only."""
    meeting = MeetingFactory(agency=case.owning_agency)
    item = flagged(meeting, case)
    return ActionFactory(meeting=meeting, case=case, item=item)


RECORD_FACTORIES = {
    "meeting": lambda agency: MeetingFactory(agency=agency),
    "meeting_series": lambda agency: SeriesFactory(agency=agency),
    "meeting_action": lambda agency: ActionFactory(owning_agency=agency),
}
RECORD_URLS = {
    "meetings:meeting": "meeting",
    "meetings:agenda": "meeting",
    "meetings:minutes": "meeting",
    "meetings:actions": "meeting",
    "meetings:pack": "meeting",
    "meetings:item-add": "meeting",
    "meetings:flag": "meeting",
    "meetings:minute-edit": "meeting",
    "meetings:action-add": "meeting",
    "meetings:close": "meeting",
    "meetings:meeting-create": "meeting_series",
    "meetings:action-done": "meeting_action",
    "meetings:flag-case": "case",
    "api:meeting-detail": "meeting",
    "api:meeting-agenda": "meeting",
}
OTHER_URLS = {"meetings:list", "meetings:my-actions", "api:meeting-list", "api:meeting-my-actions"}
PUBLIC: set[str] = set()
API_OPERATIONS = {
    "GET /api/v1/meetings/meetings/": None,
    "GET /api/v1/meetings/meetings/{id}/": "meeting",
    "GET /api/v1/meetings/meetings/{id}/agenda/": "meeting",
    "GET /api/v1/meetings/my-actions/": None,
}
# The series list and the list of meetings name no case, person or place.
NO_RECORDS = {"meetings:list", "api:meeting-list", "GET /api/v1/meetings/meetings/"}
ON_CASE = {"meeting": _on_case}
