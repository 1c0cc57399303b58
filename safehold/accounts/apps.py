from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "safehold.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from safehold.accounts import rules as account_rules
        from safehold.core.registry import NavItem, register_navigation

        register_navigation(
            NavItem(
                "Users", "accounts:user-list", order=150, allowed=account_rules.can_manage_users
            )
        )
        # Sign-in events come from django.contrib.auth's signals, whichever route signed in.
        from safehold.accounts import receivers  # noqa: F401
