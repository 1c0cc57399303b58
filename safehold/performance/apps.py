from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "safehold.performance"
    label = "performance"
    verbose_name = "Performance"

    def ready(self) -> None:
        from safehold.core.registry import NavItem, register_api_routes, register_navigation
        from safehold.performance.rules import can_view_performance

        register_navigation(
            NavItem("Performance", "performance:report", order=100, allowed=can_view_performance)
        )
        register_api_routes("", "safehold.performance.api.urls")
