from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "safehold.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # Sign-in events come from django.contrib.auth's signals, whichever route signed in.
        from safehold.accounts import receivers  # noqa: F401
