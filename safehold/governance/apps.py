from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "safehold.governance"
    label = "governance"
    verbose_name = "Information governance"
