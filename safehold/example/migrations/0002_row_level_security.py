"""Visits are case data: visible with their case, written by its holder (ADR 0011)."""

from django.db import migrations

from safehold.sharing import rls


class Migration(migrations.Migration):
    dependencies = [
        ("example", "0001_initial"),
        ("sharing", "0003_row_level_security_everywhere"),
    ]

    operations = [rls.policies({"example_visit": rls.of_case()})]
