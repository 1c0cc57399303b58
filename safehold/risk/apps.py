from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "safehold.risk"
    label = "risk"
    verbose_name = "Risk: the top indicators list"

    def ready(self) -> None:
        from safehold.core.registry import NavItem, register_api_routes, register_navigation
        from safehold.risk import rules

        register_navigation(
            NavItem("Risk", "risk:list", order=125, allowed=rules.can_see_list, section="/risk/")
        )
        register_api_routes("risk/", "safehold.risk.api.urls")
