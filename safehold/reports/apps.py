from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "safehold.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        from safehold.core.registry import NavItem, register_api_routes, register_navigation
        from safehold.reports.rules import can_view_reports

        register_navigation(
            NavItem("Reports", "reports:evaluation", order=90, allowed=can_view_reports)
        )
        register_api_routes("", "safehold.reports.api.urls")
