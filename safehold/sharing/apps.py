from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "safehold.sharing"
    label = "sharing"
    verbose_name = "Information sharing"

    def ready(self) -> None:
        from safehold.accounts import rules as account_rules
        from safehold.core.registry import NavItem, register_navigation
        from safehold.sharing import rules

        register_navigation(
            NavItem(
                "Sharing", "sharing:who-else", order=80, allowed=account_rules.can_browse_people
            ),
            NavItem(
                "Agreements", "sharing:agreements", order=120, allowed=rules.can_manage_agreements
            ),
        )
