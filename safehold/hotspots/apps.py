from django.apps import AppConfig


class HotspotsConfig(AppConfig):
    """Hot spots (ADR 0013): points to a grid in British National Grid metres (grid.py) and
    Getis-Ord Gi* on it (gistar.py). Plain numpy, no models, no pages: police.uk data and
    partners' incident logs both use it."""

    name = "safehold.hotspots"
    label = "hotspots"
    verbose_name = "Hot spots"
