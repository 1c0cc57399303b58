"""What a run needs on the durable job queue (ADR 0030): the upload's parameters for the
worker, the task that runs it, and how many times a worker has started it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="importrun",
            name="params",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="importrun",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="importrun",
            name="task_id",
            field=models.CharField(blank=True, max_length=64),
        ),
    ]
