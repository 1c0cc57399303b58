from django.apps import AppConfig


class PartnersConfig(AppConfig):
    """Partner data extracts (issue 17, item 1): an agency's people, tenancies, incidents and
    attendances, shared under an information sharing agreement, validated whole and stored as
    Parquet in the analytics store (DATA_DIR/partners), one file per extract, with history."""

    name = "safehold.partners"
    label = "partners"
    verbose_name = "Partner data extracts"

    def ready(self) -> None:
        from safehold.imports.registry import ImportKind, register_kind
        from safehold.partners import uploads
        from safehold.partners.rules import can_upload_extracts
        from safehold.partners.views import UPLOAD_PAGE

        register_kind(
            ImportKind(
                name=uploads.KIND,
                label="Partner data extract",
                process=uploads.process_upload,
                may_import=can_upload_extracts,
                max_stored_errors=uploads.MAX_STORED_ERRORS,
                page=UPLOAD_PAGE,
            )
        )
