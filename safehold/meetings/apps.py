from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "safehold.meetings"
    label = "meetings"
    verbose_name = "Partnership meetings"

    def ready(self) -> None:
        # What the module adds to the shared pages, registered here: core imports no app.
        from safehold.core.registry import (
            NavItem,
            register_api_routes,
            register_home_panel,
            register_navigation,
        )
        from safehold.meetings import agenda, panels, rules
        from safehold.notifications.deadlines import register_deadline_source

        # Not in an administrator's or a supervisor's menu, full at 1280 px: their home page links it.
        register_navigation(
            NavItem("Meetings", "meetings:list", order=75, allowed=rules.in_the_menu,
                    section="/meetings/")
        )  # fmt: skip
        register_home_panel(
            "meeting_actions", panels.my_actions_panel, template="meetings/home_panel.html",
            order=45,
        )  # fmt: skip
        register_deadline_source("meeting_actions", panels.action_deadlines)
        register_api_routes("meetings/", "safehold.meetings.api.urls")
        agenda.register_casework_sections()
