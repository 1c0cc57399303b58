from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "safehold.demo"
    label = "demo"
    verbose_name = "Demo partnership"
