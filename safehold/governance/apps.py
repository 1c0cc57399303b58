from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "safehold.governance"
    label = "governance"
    verbose_name = "Information governance"

    def ready(self) -> None:
        from safehold.core.registry import NavItem, register_navigation
        from safehold.governance.rules import can_govern

        register_navigation(
            NavItem("Governance", "governance:index", order=140, allowed=can_govern)
        )
