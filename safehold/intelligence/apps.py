from django.apps import AppConfig


class IntelligenceConfig(AppConfig):
    name = "safehold.intelligence"
    label = "intelligence"
    verbose_name = "Partner intelligence"

    def ready(self) -> None:
        # What the module adds to the shared pages, registered here: core imports no app.
        from safehold.core.registry import (
            NavItem,
            RecordKind,
            ReviewSource,
            register_api_routes,
            register_home_panel,
            register_navigation,
            register_record_kind,
            register_record_note,
            register_review_source,
        )
        from safehold.intelligence import notes, panels, retention, rules, selectors
        from safehold.intelligence.models import Intelligence

        register_navigation(
            # Police analysts only: the casework roles' menus are full at 1280 px, so their home
            # page's intelligence panel links the pages instead (panels.py).
            NavItem("Intelligence", "intelligence:queue", order=75, allowed=rules.in_navigation,
                    section="/intelligence/"),
        )  # fmt: skip
        register_api_routes("intelligence/", "safehold.intelligence.api.urls")
        register_record_kind(
            RecordKind(
                "intelligence",
                "intelligence.intelligence",
                Intelligence,
                selectors.intelligence_visible_to,
                detail_url="intelligence:detail",
                title="Intelligence",
                find=lambda user, text: selectors.intelligence_visible_to(user).filter(
                    reference__iexact=text.strip()
                ),
            )
        )
        register_home_panel(
            "intelligence", panels.intelligence_panel, template="intelligence/home_panel.html",
            order=46,
        )  # fmt: skip
        register_review_source(
            ReviewSource("intelligence", "Intelligence", retention.POLICY, retention.due_for_review)
        )
        register_record_note("intelligence", "people.location", notes.location_notes)
