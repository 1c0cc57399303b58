"""What each app adds to the shared pages, registered in its `AppConfig.ready()`: the service
navigation, the home page's panels, its API routes and its kinds of personal record. `core`
knows no app; each app says what it offers.

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
    # The start of the addresses of the section it leads to, when wider than its own page's
    # (People: "/people/", so the places pages highlight it too); its page's address if empty.
    section: str = ""
    # Other sections it stands for in the menu of a user who has no link of their own to them
    # (Operations for /meetings/ in a caseworker's menu, full at 1280 px).
    also: tuple[str, ...] = ()

    @property
    def href(self) -> str:
        return reverse(self.url_name)

    @property
    def prefix(self) -> str:
        return self.section or self.href


@dataclass(frozen=True)
class HeaderItem:
    """Something an app puts in every page's header for a signed-in user (the search box, the
    notifications count): a template, rendered with what `context(request)` returns; an empty
    dict from `context` leaves the item out."""

    name: str
    template: str
    order: int
    context: Callable[[object], dict] = lambda request: {"shown": True}


_navigation: dict[str, NavItem] = {}
_header_items: dict[str, HeaderItem] = {}
# Functions of the user returning the home page's context for their panel, and the panel's
# template (rendered with that context as `panel`) and place on the page.
_home_panels: dict[str, Callable[[object], dict]] = {}
_home_templates: dict[str, tuple[int, str]] = {}


def register_navigation(*items: NavItem) -> None:
    for item in items:
        _navigation[item.url_name] = item  # by name: registering twice (tests, reloads) is one


def navigation_for(user) -> list[NavItem]:
    """The links the user may follow, in their order."""
    return [i for i in sorted(_navigation.values(), key=lambda i: i.order) if i.allowed(user)]


def register_header_item(*items: HeaderItem) -> None:
    for item in items:
        _header_items[item.name] = item


def header_items_for(request) -> list[dict]:
    """The header items for this request, in their order: each its template and its context."""
    shown = []
    for item in sorted(_header_items.values(), key=lambda i: i.order):
        context = item.context(request)
        if context:
            shown.append({"template": item.template, "context": context})
    return shown


def register_home_panel(
    name: str, context: Callable[[object], dict], *, template: str = "", order: int = 100
) -> None:
    """A panel of the home page ("my work"): `context(user)` is merged into the page's context,
    and a `template` is rendered with it as `panel` (an empty dict leaves the panel out)."""
    _home_panels[name] = context
    if template:
        _home_templates[name] = (order, template)


def home_context(user) -> dict:
    """Every panel's context for the home page, merged, and `home_panels`: the templates to
    render, in their order, each with its own context."""
    merged: dict = {}
    panels = []
    for name, context in _home_panels.items():
        found = context(user)
        merged |= found
        if name in _home_templates and found:
            order, template = _home_templates[name]
            panels.append((order, name, {"template": template, "context": found}))
    merged["home_panels"] = [panel for _, _, panel in sorted(panels, key=lambda p: p[:2])]
    return merged


@dataclass(frozen=True)
class RecordKind:
    """A kind of personal record (a person, a place, a case) as the lower layers (the audit
    search, the sharing pages) need it, without importing the app that holds it: its model, its
    read gate (`visible_to(user)`, the app's own selector), its page, and whose record it is."""

    name: str  # "case", "person", "location": the noun in URLs and forms
    object_type: str  # "cases.case": how audit events name it
    model: type
    visible_to: Callable[[object], object]  # the read gate: user -> QuerySet
    detail_url: str = ""  # URL name of its page, taking its pk
    subject_id: Callable[[object], object] = lambda record: record.pk
    display_name: Callable[[object], str] = str
    related: tuple[str, ...] = ()  # what its pages show with it (for select_related)
    title: str = ""  # how a person reads the kind: "Case", "Person", "Place"
    # The records of this kind that words typed by a user name (a reference, a name, an
    # address), through its read gate: user, text -> QuerySet. None: found by id only.
    find: Callable[[object, str], object] | None = None


_record_kinds: dict[str, RecordKind] = {}


def register_record_kind(*kinds: RecordKind) -> None:
    for kind in kinds:
        _record_kinds[kind.name] = kind


def record_kind(name: str) -> RecordKind:
    """The registered kind called `name`; a KeyError names a kind no app registered."""
    return _record_kinds[name]


def record_kinds() -> list[RecordKind]:
    return list(_record_kinds.values())


# (path prefix under /api/v1/, dotted name of the app's api/urls.py), in registration order.
_api_routes: dict[str, str] = {}


def register_api_routes(prefix: str, urlconf: str) -> None:
    """Mount an app's API paths (`urlconf`, a module with `urlpatterns`, names in the `api`
    namespace) under /api/v1/`prefix`."""
    _api_routes[urlconf] = prefix


def api_routes() -> list[tuple[str, str]]:
    """(prefix, urlconf) of every app's API, in registration order."""
    return [(prefix, urlconf) for urlconf, prefix in _api_routes.items()]


# Notes other apps add to a record's page without the record's app importing them (the
# referral page's "Raised during operation …"): by model label, functions of (user, record)
# returning [{"text": …, "href": … or ""}], each reading through its own gates.
_record_notes: dict[str, dict[str, Callable[[object, object], list[dict]]]] = {}


def register_record_note(
    name: str, model_label: str, notes_of: Callable[[object, object], list[dict]]
) -> None:
    _record_notes.setdefault(model_label, {})[name] = notes_of


def record_notes(user, record) -> list[dict]:
    """What the registered apps say about `record` to `user`, in registration order."""
    notes_of = _record_notes.get(record._meta.label_lower, {})
    return [note for notes in notes_of.values() for note in notes(user, record)]


# Panels other apps add to a record's page (linkage's "possible matches across the
# partnership" on a referral in triage and on a person's page): by model label, a template and a
# function of (user, record) returning its context, or {} to leave the panel out.
_record_panels: dict[str, dict[str, tuple[str, Callable[[object, object], dict]]]] = {}


def register_record_panel(
    name: str, model_label: str, template: str, context: Callable[[object, object], dict]
) -> None:
    _record_panels.setdefault(model_label, {})[name] = (template, context)


def record_panels(user, record) -> list[dict]:
    """The registered panels for `record` shown to `user`: each its template and context."""
    shown = []
    for template, context in _record_panels.get(record._meta.label_lower, {}).values():
        panel = context(user, record)
        if panel:
            shown.append({"template": template, "panel": panel})
    return shown


# Who is one person across several Safehold person records (linkage's resolved identity): a
# function returning, for the people it joins to another Safehold person, an identity key
# shared by all of them (people it does not join are left out: each is their own identity).
_identity_resolvers: dict[str, Callable[[], dict]] = {}


def register_identity_resolver(name: str, joined_people: Callable[[], dict]) -> None:
    _identity_resolvers[name] = joined_people


def joined_people() -> dict:
    """Person id -> identity key, for Safehold people known to be one person with another."""
    joined: dict = {}
    for resolver in _identity_resolvers.values():
        joined.update(resolver())
    return joined


@dataclass(frozen=True)
class ReviewSource:
    """Records an app reviews on a policy of its own (intelligence: MoPI-style review dates), for
    the governance retention page: `due(user, today)` returns the records due for review that
    the user's agency answers for, read through the app's own gate, as ReviewRow."""

    name: str
    title: str  # the section's heading: "Intelligence"
    policy: str  # how the review date is set, in words
    due: Callable[[object, object], list]


@dataclass(frozen=True)
class ReviewRow:
    record: object  # the model instance (audited as consulted when shown)
    label: str  # a reference, never a name
    review_due_on: object  # a date
    href: str = ""
    note: str = ""


_review_sources: dict[str, ReviewSource] = {}


def register_review_source(source: ReviewSource) -> None:
    _review_sources[source.name] = source


def reviews_due(user, today) -> list[tuple[ReviewSource, list[ReviewRow]]]:
    """Each registered source with its rows due for the user, in registration order."""
    return [(source, source.due(user, today)) for source in _review_sources.values()]
