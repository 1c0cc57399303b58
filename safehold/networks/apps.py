from django.apps import AppConfig


class NetworksConfig(AppConfig):
    name = "safehold.networks"
    label = "networks"
    verbose_name = "Organised crime networks"

    def ready(self) -> None:
        # What the module adds to the shared pages, registered here: core imports no app.
        from safehold.core.registry import (
            NavItem,
            RecordKind,
            register_api_routes,
            register_navigation,
            register_record_kind,
            register_record_note,
        )
        from safehold.networks import notes, rules, selectors
        from safehold.networks.models import NetworkObject, OrganisedCrimeGroup

        register_api_routes("networks/", "safehold.networks.api.urls")
        register_record_note("networks", "intelligence.intelligence", notes.intelligence_notes)

        from safehold.meetings.agenda import register_agenda_section
        from safehold.networks import agenda

        register_agenda_section(
            "intelligence_gaps", 45, agenda.intelligence_gaps_section, title=agenda.TITLE,
            empty=agenda.EMPTY,
        )  # fmt: skip
        register_navigation(
            NavItem("Organised crime", "networks:ocg-list", order=115,
                    allowed=rules.in_navigation, section="/networks/"),
        )  # fmt: skip
        register_record_kind(
            RecordKind(
                "ocg",
                "networks.organisedcrimegroup",
                OrganisedCrimeGroup,
                selectors.ocgs_visible_to,
                detail_url="networks:ocg-detail",
                title="Organised crime group",
                find=lambda user, text: selectors.ocgs_visible_to(user).filter(
                    name__icontains=text.strip()
                ),
            ),
            RecordKind(
                "network_object",
                "networks.networkobject",
                NetworkObject,
                selectors.objects_visible_to,
                detail_url="networks:object-detail",
                title="Object",
                find=lambda user, text: selectors.objects_visible_to(user).filter(
                    value__icontains=text.strip()
                ),
            ),
        )
