from django.apps import AppConfig


class CrimeConfig(AppConfig):
    name = "safehold.crime"
    label = "crime"
    verbose_name = "Crime and ASB analytics"
