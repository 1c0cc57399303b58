from django.apps import AppConfig


class PartnersConfig(AppConfig):
    """Partner data extracts (issue 17, item 1): an agency's people, tenancies, incidents and
    attendances, shared under an information sharing agreement, validated whole and stored as
    Parquet in the analytics store (DATA_DIR/partners), one file per extract, with history."""

    name = "safehold.partners"
    label = "partners"
    verbose_name = "Partner data extracts"
