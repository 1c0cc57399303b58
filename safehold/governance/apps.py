from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "safehold.governance"
    label = "governance"
    verbose_name = "Information governance"

    def ready(self) -> None:
        from safehold.core.registry import NavItem, register_navigation
        from safehold.governance.rules import can_govern

        register_navigation(
            # It stands for record linkage in the menu of IG officers and administrators, whose
            # menu is full at 1280 px (linkage/rules.py in_the_menu); the index links to it.
            NavItem(
                "Governance", "governance:index", order=140, allowed=can_govern, also=("/linkage/",)
            ),
        )
