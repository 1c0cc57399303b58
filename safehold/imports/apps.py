from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Runs of every kind on the job queue; each app registers its kinds in its ready()."""

    name = "safehold.imports"
    label = "imports"
    verbose_name = "Imports"
