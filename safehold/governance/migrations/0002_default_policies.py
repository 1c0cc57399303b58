"""Seed the default retention policies (ADR 0009). A policy already configured is left alone."""

from django.db import migrations

from safehold.governance.choices import DEFAULT_POLICIES


def seed(apps, schema_editor):
    RetentionPolicy = apps.get_model("governance", "RetentionPolicy")
    for record_type, (months, starts_from, _label) in DEFAULT_POLICIES.items():
        RetentionPolicy.objects.get_or_create(
            record_type=record_type,
            defaults={"period_months": months, "starts_from": starts_from},
        )


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
