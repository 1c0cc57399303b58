from django.apps import AppConfig


class CrimeConfig(AppConfig):
    name = "safehold.crime"
    label = "crime"
    verbose_name = "Crime and ASB analytics"

    def ready(self) -> None:
        from safehold.core.registry import NavItem, register_api_routes, register_navigation
        from safehold.crime.rules import can_view_crime_analytics

        register_navigation(
            NavItem("Crime and ASB", "crime:dashboard", order=110, allowed=can_view_crime_analytics)
        )
        register_api_routes("crime/", "safehold.crime.api.urls")

        from safehold.crime.ingest import uploads as police_uploads
        from safehold.crime.rules import can_import_crime_data
        from safehold.crime.views.police_upload import UPLOAD_PAGE as POLICE_PAGE
        from safehold.imports.registry import ImportKind, register_kind

        register_kind(
            ImportKind(
                name=police_uploads.KIND,
                label="police.uk files",
                process=police_uploads.process_upload,
                may_import=can_import_crime_data,
                pass_path=True,  # a download zip is never held in memory
                max_stored_errors=police_uploads.MAX_STORED_ERRORS,
                page=POLICE_PAGE,
            )
        )
