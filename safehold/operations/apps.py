from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "safehold.operations"
    label = "operations"
    verbose_name = "Multi-agency operations"

    def ready(self) -> None:
        # What the module adds to the shared pages, registered here: core imports no app.
        from safehold.core.registry import (
            NavItem,
            RecordKind,
            register_api_routes,
            register_home_panel,
            register_navigation,
            register_record_kind,
            register_record_note,
        )
        from safehold.operations import notes, panels, rules, selectors
        from safehold.operations.models import Operation

        register_navigation(
            # Caseworkers (the other roles' menus are full at 1280 px: see panels.py).
            NavItem("Operations", "operations:list", order=72, allowed=rules.in_navigation,
                    section="/operations/", also=("/meetings/",)),
        )  # fmt: skip
        register_api_routes("operations/", "safehold.operations.api.urls")
        register_record_kind(
            RecordKind(
                "operation",
                "operations.operation",
                Operation,
                selectors.operations_visible_to,
                detail_url="operations:detail",
                title="Operation",
                find=lambda user, text: selectors.operations_visible_to(user).filter(
                    name__icontains=text.strip()
                ),
            )
        )
        register_record_note("operations", "cases.referral", notes.referral_notes)
        register_home_panel(
            "operations", panels.operations_panel, template="operations/home_panel.html",
            order=44,
        )  # fmt: skip

        from safehold.meetings.agenda import register_agenda_section
        from safehold.operations.agenda import operations_since_last_meeting

        register_agenda_section(
            "operations", 30, operations_since_last_meeting,
            title="Operations since the last meeting, with their results",
            empty="No operation your organisation led or took part in since the last meeting.",
        )  # fmt: skip
