from django.apps import AppConfig


class ExampleConfig(AppConfig):
    name = "safehold.example"
    label = "example"
    verbose_name = "Example module: welfare visits"

    def ready(self) -> None:
        # What the module adds to the shared pages, registered here: core imports no app.
        from safehold.core.registry import (
            NavItem,
            RecordKind,
            register_api_routes,
            register_navigation,
            register_record_kind,
        )
        from safehold.example import rules, selectors
        from safehold.example.models import Visit

        register_navigation(NavItem("Visits", "example:list", order=200, allowed=rules.can_see))
        register_api_routes("example/", "safehold.example.api.urls")
        # So the audit search can find events about a visit, through its read gate.
        register_record_kind(
            RecordKind(
                "visit",
                "example.visit",
                Visit,
                selectors.visits_visible_to,
                detail_url="example:detail",
                subject_id=lambda visit: visit.case.subject_id,
            )
        )
