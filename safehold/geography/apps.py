from django.apps import AppConfig


class GeographyConfig(AppConfig):
    name = "safehold.geography"
    label = "geography"
    verbose_name = "Geography"
