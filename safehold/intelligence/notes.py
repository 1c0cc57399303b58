"""What intelligence says on a place's page (core's record-note registry: people does not import
intelligence): to whoever may submit intelligence, a way to submit it about this place, the
form filled in with the address."""

from django.urls import reverse

from safehold.intelligence import rules


def location_notes(user, location) -> list[dict]:
    if not rules.can_submit(user):
        return []
    return [{
        "text": "Submit intelligence about this place to the police",
        "href": f"{reverse('intelligence:submit')}?location={location.pk}",
    }]  # fmt: skip
