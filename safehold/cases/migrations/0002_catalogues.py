from django.db import migrations

from safehold.cases.choices import INTERVENTIONS, SIGNS


def seed(apps, schema_editor):
    Sign = apps.get_model("cases", "Sign")
    InterventionType = apps.get_model("cases", "InterventionType")
    for order, (code, name) in enumerate(SIGNS):
        Sign.objects.update_or_create(code=code, defaults={"name": name, "order": order})
    for order, (code, name) in enumerate(INTERVENTIONS):
        InterventionType.objects.update_or_create(
            code=code, defaults={"name": name, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
