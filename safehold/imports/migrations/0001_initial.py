"""The import run moves here from the cases app with its table (cases_importrun): the model
enters this app's state only, and no row moves (ADR 0030). Its kind is no longer a fixed list
of choices: kinds are registered by their apps."""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0001_initial"),
        ("cases", "0007_references_per_programme"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ImportRun",
                    fields=[
                        (
                            "id",
                            models.UUIDField(
                                default=uuid.uuid4,
                                editable=False,
                                primary_key=True,
                                serialize=False,
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("modified_at", models.DateTimeField(auto_now=True)),
                        ("kind", models.CharField(max_length=20)),
                        ("file_name", models.CharField(max_length=200)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("validating", "Checking the file"),
                                    ("invalid", "Errors found; nothing imported"),
                                    ("importing", "Importing"),
                                    ("done", "Imported"),
                                ],
                                default="validating",
                                max_length=20,
                            ),
                        ),
                        ("total_rows", models.PositiveIntegerField(default=0)),
                        ("processed_rows", models.PositiveIntegerField(default=0)),
                        ("created_cases", models.PositiveIntegerField(default=0)),
                        ("unchanged_cases", models.PositiveIntegerField(default=0)),
                        ("result", models.JSONField(blank=True, default=dict)),
                        ("errors", models.JSONField(blank=True, default=list)),
                        (
                            "agency",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="accounts.agency",
                            ),
                        ),
                        (
                            "uploaded_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={"db_table": "cases_importrun"},
                ),
            ],
            database_operations=[],
        ),
    ]
