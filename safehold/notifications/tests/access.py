"""This app's URLs, and the deadlines calendar's (cases), for the access test
(safehold/core/tests/test_access.py)."""

RECORD_FACTORIES: dict = {}
RECORD_URLS: dict[str, str] = {}
PUBLIC: set[str] = set()
OTHER_URLS = {
    "notifications:list",
    "notifications:preferences",
    "cases:calendar",
    "cases:calendar-feed",
    "cases:calendar-feed-address",
}
# A user's own notices and choices (the leak worlds give their control users none), and the
# page of their feed's address.
NO_RECORDS = {
    "notifications:list",
    "notifications:preferences",
    "cases:calendar-feed-address",
}
