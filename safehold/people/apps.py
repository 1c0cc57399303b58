from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "safehold.people"
    label = "people"
    verbose_name = "People and places"

    def ready(self) -> None:
        from safehold.accounts import rules as account_rules
        from safehold.core.registry import (
            NavItem,
            RecordKind,
            register_api_routes,
            register_navigation,
            register_record_kind,
        )
        from safehold.people.models import Location, Person
        from safehold.people.selectors import (
            locations_visible_to,
            people_visible_to,
            search_locations,
            search_people,
        )

        register_navigation(
            # One menu item for people and places (their pages link to each other): the menu
            # keeps to one line at 1280 px (ADR 0040).
            NavItem(
                "People",
                "people:list",
                order=60,
                allowed=account_rules.can_browse_people,
                section="/people/",
            ),
        )
        register_record_kind(
            RecordKind(
                "person",
                "people.person",
                Person,
                people_visible_to,
                detail_url="people:detail",
                display_name=lambda person: person.full_name,
                title="Person",
                find=lambda user, text: search_people(user, query=text),
            ),
            RecordKind(
                "location",
                "people.location",
                Location,
                locations_visible_to,
                detail_url="people:location-detail",
                title="Place",
                find=lambda user, text: search_locations(user, query=text),
            ),
        )
        register_api_routes("", "safehold.people.api.urls")
