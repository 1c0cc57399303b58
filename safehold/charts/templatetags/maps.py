"""`{% crime_map_assets %}` (Leaflet and map.js, once per page, in the head block) and
`{% crime_map map %}` (one map: safehold.crime.maps.CrimeMap). `{% crime_map map static=True %}`
draws only the server-rendered picture, for printing."""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

from safehold.crime.maps import CrimeMap, svg_shapes

register = template.Library()


@register.simple_tag
def crime_map_assets() -> str:
    return format_html(
        '<link rel="stylesheet" href="{}">\n'
        '<link rel="stylesheet" href="{}">\n'
        '<script src="{}" defer></script>\n'
        '<script src="{}" defer></script>',
        static("leaflet/leaflet.css"),
        static("crime/crime.css"),
        static("leaflet/leaflet.js"),
        static("crime/map.js"),
    )


@register.inclusion_tag("crime/_map.html")
def crime_map(crime_map: CrimeMap, static: bool = False) -> dict:
    return {
        "map": crime_map,
        "data": None if static else crime_map.data(),
        "data_id": f"{crime_map.map_id}-data",
        "svg": svg_shapes(crime_map),
        "static": static,
    }
