from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "safehold.risk"
    label = "risk"
    verbose_name = "Risk: the top indicators list"

    def ready(self) -> None:
        from safehold.core.registry import (
            NavItem,
            register_api_routes,
            register_home_panel,
            register_navigation,
        )
        from safehold.performance.report import register_board_part
        from safehold.risk import board, rules

        # The menu is full at 1280 px for the casework and governance roles (ADR 0040): the
        # analysts, who have room, get a link; every reader has one on the home page.
        register_navigation(
            NavItem("Risk", "risk:list", order=125, allowed=rules.in_the_menu, section="/risk/")
        )
        register_home_panel("risk", _home_panel, template="risk/home_panel.html", order=48)
        register_api_routes("risk/", "safehold.risk.api.urls")
        register_board_part(board.NAME, 10, board.fairness_part)


def _home_panel(user) -> dict:
    """A link to the list (no entry counted: that would score the list on every home page)."""
    from safehold.risk import rules

    if not rules.can_see_list(user):
        return {}
    return {"risk_link": True, "risk_may_review": bool(rules.can_review(user))}
