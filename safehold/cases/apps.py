from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "safehold.cases"
    label = "cases"
    verbose_name = "Exploitation casework"

    def ready(self) -> None:
        from safehold.accounts import rules as account_rules
        from safehold.cases import rules, selectors
        from safehold.cases.models import Case
        from safehold.cases.views import home
        from safehold.core.registry import (
            NavItem,
            RecordKind,
            register_api_routes,
            register_home_panel,
            register_navigation,
            register_record_kind,
        )

        register_navigation(
            NavItem("Referrals", "cases:referral-list", order=20),
            NavItem("Triage", "cases:triage", order=30, allowed=rules.can_triage),
            NavItem("Cases", "cases:list", order=40, allowed=account_rules.can_browse_people),
            NavItem("Tasks", "cases:my-tasks", order=50, allowed=account_rules.can_browse_people),
            NavItem(
                "ASB hand-overs", "cases:asb-queue", order=55, allowed=rules.can_work_asb_queue
            ),
        )
        register_home_panel("casework", home.home_panel, template="cases/home_panel.html", order=10)
        from safehold.cases import deadlines
        from safehold.notifications.deadlines import register_deadline_source

        register_deadline_source("tasks", deadlines.task_deadlines)
        register_deadline_source("enforcement", deadlines.enforcement_deadlines)
        register_record_kind(
            RecordKind(
                "case",
                "cases.case",
                Case,
                selectors.cases_visible_to,
                detail_url="cases:detail",
                subject_id=lambda case: case.subject_id,
                display_name=lambda case: f"{case.reference}: {case.subject.full_name}",
                related=("subject",),
                title="Case",
                find=lambda user, text: selectors.cases_visible_to(user).filter(
                    reference__iexact=text.strip()
                ),
            )
        )
        register_api_routes("", "safehold.cases.api.urls")

        from safehold.cases import imports
        from safehold.cases.views.imports import PAGE
        from safehold.imports.registry import ImportKind, register_kind

        register_kind(
            ImportKind(
                name=imports.KIND,
                label="Historic cases",
                process=imports.process_run,
                may_import=account_rules.can_edit_people,
                page=PAGE,
            )
        )
