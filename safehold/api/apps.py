from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "safehold.api"
    label = "api"
    verbose_name = "Partner API"

    def ready(self):
        # Registers the bearer token scheme with drf-spectacular for the OpenAPI schema.
        from safehold.api import schema  # noqa: F401
