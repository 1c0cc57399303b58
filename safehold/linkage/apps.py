from django.apps import AppConfig


class LinkageConfig(AppConfig):
    """Record linkage (issue 17, ADR 0054 and 0055): Splink finds the records, across Safehold
    and the partners' extracts, that are one person; runs keep a resolved-identity table (never
    a merge), people decide the doubtful pairs on the review pages, and the front door shows
    the matches."""

    name = "safehold.linkage"
    label = "linkage"
    verbose_name = "Record linkage"

    def ready(self) -> None:
        from safehold.core.registry import (
            NavItem,
            register_identity_resolver,
            register_navigation,
            register_record_panel,
        )
        from safehold.imports.registry import ImportKind, register_kind
        from safehold.linkage import front_door, runs, selectors
        from safehold.linkage.rules import can_run_linkage, can_see_linkage, in_the_menu
        from safehold.linkage.views import RUN_PAGE

        register_record_panel(
            "linkage-matches", "cases.referral", "linkage/_matches.html", front_door.referral_panel
        )
        register_record_panel(
            "linkage-matches", "people.person", "linkage/_matches.html", front_door.person_panel
        )
        register_identity_resolver("linkage", selectors.joined_people)
        register_kind(
            ImportKind(
                name=runs.KIND,
                label="Linkage run",
                process=runs.process_run,
                may_import=can_run_linkage,
                may_see=can_see_linkage,
                page=RUN_PAGE,
            )
        )
        register_navigation(
            NavItem("Linkage", "linkage:overview", order=120, allowed=in_the_menu,
                    section="/linkage/"),
        )  # fmt: skip
