from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    """Partners' incident logs (ADR 0014): upload, store (Parquet in DATA_DIR/incidents), peak
    times, seasons and hot spots. Its pages sit in the "Crime and ASB" section beside police.uk
    crime, under the `crime` URL namespace (config/urls.py), so they keep their names."""

    name = "safehold.incidents"
    label = "incidents"
    verbose_name = "Partner incident logs"

    def ready(self) -> None:
        from safehold.core.registry import register_api_routes

        register_api_routes("crime/incidents/", "safehold.incidents.api.urls")
