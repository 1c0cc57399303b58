from django.apps import AppConfig


class ReassuranceConfig(AppConfig):
    name = "safehold.reassurance"
    label = "reassurance"
    verbose_name = "Reassurance letters and leaflet drops"

    def ready(self) -> None:
        # What the module adds to the shared pages, registered here: core imports no app.
        from safehold.core.registry import register_home_panel
        from safehold.imports.registry import ImportKind, register_kind
        from safehold.reassurance import rules, selectors, uploads
        from safehold.reassurance.views import UPLOAD_PAGE

        # A panel on the home page, not a menu link: the menu is full at 1280 px (ADR 0040);
        # operations, which will import this module, will link its premises' batches.
        register_home_panel(
            "reassurance", selectors.home_panel, template="reassurance/home_panel.html", order=60
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
