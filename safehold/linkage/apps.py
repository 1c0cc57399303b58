from django.apps import AppConfig


class LinkageConfig(AppConfig):
    """Record linkage (issue 17, ADR 0054 and 0055): Splink finds the records, across Safehold
    and the partners' extracts, that are one person; runs keep a resolved-identity table (never
    a merge), people decide the doubtful pairs, and the front door shows the matches."""

    name = "safehold.linkage"
    label = "linkage"
    verbose_name = "Record linkage"

    def ready(self) -> None:
        from safehold.core.registry import register_identity_resolver, register_record_panel
        from safehold.linkage import front_door, selectors

        register_record_panel(
            "linkage-matches", "cases.referral", "linkage/_matches.html", front_door.referral_panel
        )
        register_record_panel(
            "linkage-matches", "people.person", "linkage/_matches.html", front_door.person_panel
        )
        register_identity_resolver("linkage", selectors.joined_people)
