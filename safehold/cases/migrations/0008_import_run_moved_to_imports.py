"""The import run now belongs to the imports app (ADR 0030): it leaves this app's state only;
its table, cases_importrun, stays where it is with every row."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_references_per_programme"),
        ("imports", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ImportRun")],
            database_operations=[],
        ),
    ]
