from django.apps import AppConfig


class GeographyConfig(AppConfig):
    name = "safehold.geography"
    label = "geography"
    verbose_name = "Geography"

    def ready(self) -> None:
        from safehold.geography import uploads
        from safehold.geography.rules import can_load_postcodes
        from safehold.geography.views import UPLOAD_PAGE
        from safehold.imports.registry import ImportKind, register_kind

        register_kind(
            ImportKind(
                name=uploads.KIND,
                label="Postcode points",
                process=uploads.process_upload,
                may_import=can_load_postcodes,
                pass_path=True,
                page=UPLOAD_PAGE,
            )
        )
