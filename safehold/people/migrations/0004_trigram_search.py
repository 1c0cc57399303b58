"""Name and postcode search by any part of the text, served by trigram indexes on PostgreSQL.

Searches use `icontains` (UPPER(column) LIKE UPPER('%word%')), which no b-tree index serves:
every search scanned every person, alias and place, with the row-level security policy
evaluated on each row (bench/load_test.py: 115 ms for one person search of 100,000 people).
A GIN trigram index on the same UPPER(...) expression serves those LIKE patterns. pg_trgm is a
trusted extension (PostgreSQL 13+): the database's owner may create it. SQLite has no such
index and searches scan, as before.
"""

from django.db import migrations

INDEXES = [
    ("people_person_given_name_trgm", "people_person", "given_name"),
    ("people_person_family_name_trgm", "people_person", "family_name"),
    ("people_personalias_name_trgm", "people_personalias", "name"),
    ("people_location_postcode_trgm", "people_location", "postcode"),
    ("people_location_address_trgm", "people_location", "address_line_1"),
    ("people_location_address_2_trgm", "people_location", "address_line_2"),
    ("people_location_town_trgm", "people_location", "town"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            f'USING gin (UPPER("{column}"::text) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("people", "0003_restricted_fields")]
    operations = [migrations.RunPython(create, drop)]
