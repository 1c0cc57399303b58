from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "safehold.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from safehold.core.registry import NavItem, register_navigation

        register_navigation(NavItem("Home", "core:home", order=10))
        # Crash tests only (SAFEHOLD_TEST_PAUSE_AT=write:N, ADR 0063); nothing without it.
        from safehold.core.testhooks import install_from_environment

        install_from_environment()
