"""Template context every page needs: the service navigation for the signed-in user, from what
each app registered (`safehold.core.registry`), and whether Safehold is read-only for
maintenance (the banner of every page)."""

from django.http import HttpRequest

from safehold.core import maintenance as flag
from safehold.core.registry import header_items_for, navigation_for


def maintenance(request: HttpRequest) -> dict:
    return {"maintenance": flag.status()}


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "header_items": []}
    path = request.path
    items = navigation_for(user)
    # Each link's address reversed once per request, not once per use (ADR 0065, second round).
    hrefs = [item.href for item in items]
    # One link is highlighted: the one whose section's address is the longest start of this
    # page's (on /cases/tasks/ that is Tasks, not Cases as well).
    # An item's own section counts before what it only stands for (`also`).
    starts = [
        (len(prefix), own, index)
        for index, item in enumerate(items)
        for own, prefixes in ((True, (item.section or hrefs[index],)), (False, item.also))
        for prefix in prefixes
        if prefix != "/" and path.startswith(prefix)
    ]
    active = max(starts, default=(0, False, None))[2]
    nav = [
        {
            "text": item.text,
            "href": hrefs[index],
            "current": path == hrefs[index],
            "active": index == active,
        }
        for index, item in enumerate(items)
    ]
    return {"nav_items": nav, "header_items": header_items_for(request)}
