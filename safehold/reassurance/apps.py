from django.apps import AppConfig


class ReassuranceConfig(AppConfig):
    name = "safehold.reassurance"
    label = "reassurance"
    verbose_name = "Reassurance letters and leaflet drops"

    def ready(self) -> None:
        # What the module adds to the shared pages, registered here: core imports no app.
        from safehold.core.registry import NavItem, register_navigation
        from safehold.imports.registry import ImportKind, register_kind
        from safehold.reassurance import rules, uploads
        from safehold.reassurance.views import UPLOAD_PAGE

        register_navigation(
            NavItem("Reassurance", "reassurance:index", order=210, allowed=rules.can_see)
        )
        register_kind(
            ImportKind(
                name=uploads.KIND,
                label="Property list",
                process=uploads.process_upload,
                may_import=rules.can_work,
                page=UPLOAD_PAGE,
            )
        )
