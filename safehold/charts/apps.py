from django.apps import AppConfig


class ChartsConfig(AppConfig):
    """Charts and maps drawn on the server for every app's pages: the template tag libraries
    `charts` (bar, month and heat-map charts, figure filters) and `maps` (the map component
    and the ward map), their templates and the map's script. Apps hand them plain numbers and
    GeoJSON; charts build on geography (ward boundaries) and hot spots (their classes) only,
    and know no casework, police.uk or incident code (ADR 0031)."""

    name = "safehold.charts"
    label = "charts"
    verbose_name = "Charts and maps"
