"""The home page's operations panel: the operations ahead (and of the last week) that the
user's agency leads or takes part in, and, for a user whose menu has no Operations link (a
supervisor's is full at 1280 px), the link. Names and areas only, no person or address, so the
panel audits nothing; a fixed number of queries."""

import datetime

from django.utils import timezone

from safehold.operations import rules, selectors

PANEL_ROWS = 5
LOOK_BACK = datetime.timedelta(days=7)


def operations_panel(user) -> dict:
    if not rules.can_see(user):
        return {}
    since = timezone.now() - LOOK_BACK
    operations = list(
        selectors.operations_visible_to(user)
        .filter(starts_at__gte=since)
        .order_by("starts_at", "name")[:PANEL_ROWS]
    )
    link = not rules.in_navigation(user)
    if not operations and not link:
        return {}
    return {"operations": operations, "operations_link": link}
