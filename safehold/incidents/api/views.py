"""Partner incident analyses through the API: the JSON of the pages' downloads and of
`safehold incidents heatmap|seasonal|hotspots --format json` (docs/formats/incidents-csv.md),
with the same filters. Each call is one consult event on the API channel."""

from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from safehold import audit
from safehold.api.views import ApiView
from safehold.audit.choices import Action, Channel
from safehold.hotspots.grid import CELL_SIZES, DEFAULT_CELL_SIZE
from safehold.incidents import formats
from safehold.incidents.forms import AREAS
from safehold.incidents.rules import can_view_incidents
from safehold.incidents.selectors import connect, heatmap, seasonal
from safehold.incidents.store import source_key
from safehold.incidents.summaries import run_hotspots


class CanViewCrimeAnalytics(BasePermission):
    message = "Your role does not see crime and ASB analytics."

    def has_permission(self, request, view) -> bool:
        return bool(can_view_incidents(request.user))


class IncidentFilterSerializer(serializers.Serializer):
    # "from" is a Python keyword: the field is declared under its query-string name below.
    to = serializers.DateField(required=False, help_text="The last day (YYYY-MM-DD, UK time).")
    type = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Only these types (repeatable)."
    )
    source = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Only these sources (repeatable)."
    )

    def validate(self, attrs):
        start, end = attrs.get("from"), attrs.get("to")
        if start and end and end < start:
            raise serializers.ValidationError({"to": "must be the same as or after from"})
        return attrs

    def filters(self) -> dict:
        data = self.validated_data
        return {
            "date_from": data.get("from"),
            "date_to": data.get("to"),
            "types": tuple(data.get("type") or ()),
            "sources": tuple(data.get("source") or ()),
        }


IncidentFilterSerializer._declared_fields["from"] = serializers.DateField(
    required=False, help_text="The first day (YYYY-MM-DD, UK time)."
)


class HotspotQuerySerializer(IncidentFilterSerializer):
    cell_size = serializers.ChoiceField(
        choices=CELL_SIZES,
        required=False,
        default=int(DEFAULT_CELL_SIZE),
        help_text="Cell size in metres.",
    )
    radius = serializers.ChoiceField(
        choices=[1, 2], required=False, default=1, help_text="Neighbourhood in cells (1: 3x3)."
    )
    area = serializers.ChoiceField(
        choices=list(AREAS),
        required=False,
        default="stockport",
        help_text="The study area: the borough's extent, or the incidents' own.",
    )
    all_cells = serializers.BooleanField(
        required=False, default=False, help_text="Every cell, not only hot and cold spots."
    )


class _IncidentAnalysis(ApiView):
    permission_classes = [IsAuthenticated, CanViewCrimeAnalytics]
    kind = ""
    serializer = IncidentFilterSerializer

    def params(self):
        params = self.serializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return params

    def audited(self, filters: dict, body: dict) -> Response:
        audit.record(
            action=Action.CONSULT,
            actor=self.request.user,
            object_type="crime.incidents",
            object_ids=[source_key(s) for s in filters["sources"]] or ["all"],
            purpose=f"incident {self.kind} (json)",
            channel=Channel.API,
        )
        return Response(body)


class IncidentHeatmapView(_IncidentAnalysis):
    """Incidents by hour of day and day of week, in UK time, with the peaks."""

    kind = "heat map"

    @extend_schema(parameters=[IncidentFilterSerializer], responses=OpenApiTypes.OBJECT)
    def get(self, request, *args, **kwargs):
        filters = self.params().filters()
        with connect() as con:
            result = heatmap(con, **filters)
        return self.audited(filters, formats.heatmap_dict(result))


class IncidentSeasonalView(_IncidentAnalysis):
    """Incidents by month of year, summer, Halloween and Bonfire Night."""

    kind = "seasonal profile"

    @extend_schema(parameters=[IncidentFilterSerializer], responses=OpenApiTypes.OBJECT)
    def get(self, request, *args, **kwargs):
        filters = self.params().filters()
        with connect() as con:
            result = seasonal(con, **filters)
        return self.audited(filters, formats.seasonal_dict(result))


class IncidentHotspotsView(_IncidentAnalysis):
    """Getis-Ord Gi* hot and cold spots as a GeoJSON FeatureCollection (WGS84)."""

    kind = "hot spots"
    serializer = HotspotQuerySerializer

    @extend_schema(parameters=[HotspotQuerySerializer], responses=OpenApiTypes.OBJECT)
    def get(self, request, *args, **kwargs):
        params = self.params()
        filters, data = params.filters(), params.validated_data
        try:
            result = run_hotspots(
                filters,
                cell_size=float(data["cell_size"]),
                radius=int(data["radius"]),
                area=data["area"],
            )
        except ValueError as exc:
            raise serializers.ValidationError({"cell_size": str(exc)}) from exc
        body = formats.hotspots_geojson(
            result.analysis, all_cells=data["all_cells"], filters=result.filters
        )
        return self.audited(filters, body)
