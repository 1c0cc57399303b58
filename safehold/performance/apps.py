from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "safehold.performance"
    label = "performance"
    verbose_name = "Performance"
