from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "safehold.monitoring"
    label = "monitoring"
    verbose_name = "Protective monitoring"
