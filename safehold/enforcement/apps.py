from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "safehold.enforcement"
    label = "enforcement"
    verbose_name = "Enforcement paperwork: application bundles"

    def ready(self) -> None:
        # The chronology sources this app knows itself; other modules register theirs
        # (safehold.enforcement.sources.register_bundle_source) in their own ready().
        from safehold.enforcement import chronology, operations
        from safehold.enforcement.sources import register_bundle_source

        register_bundle_source("case", chronology.case_chronology, prefix="C", allegations=False)
        register_bundle_source("incidents", chronology.incident_logs, prefix="I")
        register_bundle_source("operations", operations.results_at_premises, prefix="O")
