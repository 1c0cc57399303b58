from django.apps import AppConfig


class LinkageConfig(AppConfig):
    """Record linkage (issue 17, ADR 0054): Splink on DuckDB finds the records, across Safehold
    and the partners' extracts, that are one person. No models yet: the engine only."""

    name = "safehold.linkage"
    label = "linkage"
    verbose_name = "Record linkage"
