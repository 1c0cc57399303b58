from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    """The analytics store: DuckDB over Parquet files in DATA_DIR (ADR 0002, ADR 0031). No
    models, no pages: the one way every analytics app opens DuckDB and locks its files."""

    name = "safehold.analytics"
    label = "analytics"
    verbose_name = "Analytics store"
