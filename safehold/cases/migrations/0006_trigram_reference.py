"""Case search by any part of the reference, served by a trigram index on PostgreSQL (see
people/0004_trigram_search, which creates the pg_trgm extension)."""

from django.db import migrations

NAME = "cases_case_reference_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "{NAME}" ON "cases_case" '
        'USING gin (UPPER("reference"::text) gin_trgm_ops)'
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{NAME}"')


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_import_run_police_kind"), ("people", "0004_trigram_search")]
    operations = [migrations.RunPython(create, drop)]
