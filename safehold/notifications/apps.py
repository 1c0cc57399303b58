from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "safehold.notifications"
    label = "notifications"
    verbose_name = "Notifications and the deadlines calendar"

    def ready(self) -> None:
        from safehold.core.registry import HeaderItem, register_header_item
        from safehold.notifications import selectors

        register_header_item(
            HeaderItem(
                "notifications",
                "notifications/header_item.html",
                order=20,
                context=selectors.header_context,
            )
        )
