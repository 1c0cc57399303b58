from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "safehold.sharing"
    label = "sharing"
    verbose_name = "Information sharing"

    def ready(self) -> None:
        from safehold.accounts import rules as account_rules
        from safehold.core.registry import NavItem, register_home_panel, register_navigation
        from safehold.notifications.deadlines import register_deadline_source
        from safehold.sharing import deadlines, rules
        from safehold.sharing.views import home

        register_navigation(
            NavItem(
                "Sharing", "sharing:who-else", order=80, allowed=account_rules.can_browse_people
            ),
            NavItem(
                "Agreements", "sharing:agreements", order=120, allowed=rules.can_manage_agreements
            ),
        )
        register_home_panel(
            "sharing", home.home_panel, template="sharing/home_panel.html", order=20
        )
        register_deadline_source("agreement reviews", deadlines.agreement_reviews)
