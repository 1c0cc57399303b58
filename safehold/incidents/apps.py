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
        from safehold.imports.registry import ImportKind, register_kind
        from safehold.incidents import uploads
        from safehold.incidents.rules import can_import_incidents
        from safehold.incidents.views import UPLOAD_PAGE

        register_kind(
            ImportKind(
                name=uploads.KIND,
                label="Incident log",
                process=uploads.process_upload,
                may_import=can_import_incidents,
                max_stored_errors=uploads.MAX_STORED_ERRORS,
                page=UPLOAD_PAGE,
            )
        )
        # The logs as a monthly series for an area: the crime app's "Did it work?" page (ADR 45).
        from safehold.analytics.series import AreaSeries, register_area_series
        from safehold.incidents import areas
        from safehold.incidents.rules import can_view_incidents

        register_area_series(
            AreaSeries(
                key="incidents",
                label=areas.LABEL,
                about=areas.ABOUT,
                may_view=can_view_incidents,
                monthly=areas.monthly_in_lsoas,
            )
        )
