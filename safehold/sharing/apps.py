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
            # The agreements are in the sharing pages' sub navigation: one menu item for the
            # section keeps the menu to one line at 1280 px (ADR 0040).
            NavItem(
                "Sharing",
                "sharing:who-else",
                order=80,
                section="/sharing/",
                allowed=account_rules.can_browse_people | rules.can_manage_agreements,
            ),
        )
        register_home_panel(
            "sharing", home.home_panel, template="sharing/home_panel.html", order=20
        )
        register_deadline_source("agreement reviews", deadlines.agreement_reviews)
