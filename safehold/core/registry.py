"""What each app adds to the shared pages, registered in its `AppConfig.ready()`: the service
navigation and the home page's panels. `core` knows no app; each app says what it offers.

    from safehold.core.registry import NavItem, register_navigation
    register_navigation(NavItem("Cases", "cases:list", order=40, allowed=can_browse_people))
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


def _everyone(user) -> bool:
    return True


@dataclass(frozen=True)
class NavItem:
    """One link of the service navigation, shown to the users `allowed` returns true for."""

    text: str
    url_name: str
    order: int
    allowed: Callable[[object], bool] = _everyone

    @property
    def href(self) -> str:
        return reverse(self.url_name)


_navigation: dict[str, NavItem] = {}
# Functions of the user returning the home page's context for their panel.
_home_panels: dict[str, Callable[[object], dict]] = {}


def register_navigation(*items: NavItem) -> None:
    for item in items:
        _navigation[item.url_name] = item  # by name: registering twice (tests, reloads) is one


def navigation_for(user) -> list[NavItem]:
    """The links the user may follow, in their order."""
    return [i for i in sorted(_navigation.values(), key=lambda i: i.order) if i.allowed(user)]


def register_home_panel(name: str, context: Callable[[object], dict]) -> None:
    _home_panels[name] = context


def home_context(user) -> dict:
    """Every panel's context for the home page, merged."""
    merged: dict = {}
    for context in _home_panels.values():
        merged |= context(user)
    return merged
