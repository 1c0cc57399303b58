from django.apps import AppConfig


class CrimeConfig(AppConfig):
    name = "safehold.crime"
    label = "crime"
    verbose_name = "Crime and ASB analytics"

    def ready(self) -> None:
        from safehold.core.registry import NavItem, register_api_routes, register_navigation
        from safehold.crime.rules import can_view_crime_analytics

        register_navigation(
            NavItem("Crime and ASB", "crime:dashboard", order=110, allowed=can_view_crime_analytics)
        )
        register_api_routes("crime/", "safehold.crime.api.urls")
