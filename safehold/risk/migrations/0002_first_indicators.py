"""The first version of the indicator catalogue: every indicator on, with its defaults."""

from django.db import migrations

from safehold.risk.indicators import default_settings


def seed(apps, schema_editor):
    IndicatorVersion = apps.get_model("risk", "IndicatorVersion")
    IndicatorVersion.objects.get_or_create(
        number=1, defaults={"settings": default_settings(), "reason": "The default indicators."}
    )


class Migration(migrations.Migration):
    dependencies = [("risk", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
