from django.apps import AppConfig


class UpkeepConfig(AppConfig):
    name = "safehold.upkeep"
    label = "upkeep"
    verbose_name = "Backups, maintenance mode and health"
