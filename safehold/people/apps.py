from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "safehold.people"
    label = "people"
    verbose_name = "People and places"

    def ready(self) -> None:
        from safehold.accounts import rules as account_rules
        from safehold.core.registry import NavItem, register_navigation

        register_navigation(
            NavItem("People", "people:list", order=60, allowed=account_rules.can_browse_people),
            NavItem(
                "Places", "people:location-list", order=70, allowed=account_rules.can_browse_people
            ),
        )
