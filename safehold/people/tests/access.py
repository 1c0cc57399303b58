"""This app's URLs for the access test (safehold/core/tests/test_access.py)."""

from safehold.people.tests.factories import LocationFactory, PersonFactory

RECORD_FACTORIES = {
    "person": lambda agency: PersonFactory(owning_agency=agency),
    "location": lambda agency: LocationFactory(owning_agency=agency),
}
RECORD_URLS = {
    "people:detail": "person",
    "people:edit": "person",
    "people:location-detail": "location",
    "people:location-edit": "location",
}
OTHER_URLS = {"people:list", "people:create", "people:location-list", "people:location-create"}
PUBLIC = set()
# The forms to record a new person or place.
NO_RECORDS = {"people:create", "people:location-create"}
