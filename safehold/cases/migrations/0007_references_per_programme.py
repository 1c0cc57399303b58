"""Each programme numbers its own cases and referrals (issue 12, probe finding g).

One partnership-wide counter let an agency infer another's volume from its own references, and
the case import named another programme's references. Counters are derived data: they are
rebuilt per programme from the highest reference each programme already holds.
"""

import django.db.models.deletion
from django.db import migrations, models


def rebuild_counters(apps, schema_editor):
    counter = apps.get_model("cases", "ReferenceCounter")
    counter.objects.all().delete()
    highest: dict[tuple, int] = {}
    for model in ("Case", "Referral"):
        rows = apps.get_model("cases", model).objects.exclude(reference=None)
        for programme_id, reference in rows.values_list("programme_id", "reference").iterator():
            try:
                prefix, year, number = reference.rsplit("-", 2)
                key = (programme_id, prefix, int(year))
                highest[key] = max(highest.get(key, 0), int(number))
            except ValueError:
                continue  # not a Safehold-numbered reference (an imported one of another shape)
    counter.objects.bulk_create(
        counter(programme_id=p, prefix=prefix, year=year, last=last)
        for (p, prefix, year), last in highest.items()
    )


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_trigram_reference")]

    operations = [
        migrations.RemoveConstraint(
            model_name="referencecounter", name="one_counter_per_prefix_year"
        ),
        migrations.AddField(
            model_name="referencecounter",
            name="programme",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="cases.programme",
            ),
        ),
        migrations.RunPython(rebuild_counters, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="referencecounter",
            name="programme",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="cases.programme",
            ),
        ),
        migrations.AddConstraint(
            model_name="referencecounter",
            constraint=models.UniqueConstraint(
                fields=("programme", "prefix", "year"),
                name="one_counter_per_programme_prefix_year",
            ),
        ),
        migrations.AlterField(
            model_name="case",
            name="reference",
            field=models.CharField(max_length=20),
        ),
        migrations.AddConstraint(
            model_name="case",
            constraint=models.UniqueConstraint(
                fields=("programme", "reference"), name="case_reference_per_programme"
            ),
        ),
        migrations.AlterField(
            model_name="referral",
            name="reference",
            field=models.CharField(blank=True, max_length=20, null=True),  # noqa: DJ001
        ),
        migrations.AddConstraint(
            model_name="referral",
            constraint=models.UniqueConstraint(
                fields=("programme", "reference"), name="referral_reference_per_programme"
            ),
        ),
    ]
