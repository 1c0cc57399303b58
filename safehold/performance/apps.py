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

        from safehold.imports.registry import ImportKind, register_kind
        from safehold.performance.imports import uploads
        from safehold.performance.rules import can_manage_performance
        from safehold.performance.views import IMPORT_PAGE

        register_kind(
            ImportKind(
                name=uploads.KIND,
                label="KPI indicators or values",
                process=uploads.process_upload,
                may_import=can_manage_performance,
                page=IMPORT_PAGE,
            )
        )
