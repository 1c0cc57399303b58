"""Crime analyses through the API: the same JSON as `safehold crime … --format json`.

Public police.uk data as aggregates; for analysts, supervisors, administrators and anyone who
may view reports. Each call is recorded as one consultation (channel api).
"""

from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from safehold.api.views import ApiView
from safehold.audit.choices import Channel
from safehold.crime import queries
from safehold.crime.analyses import Request, analyse, record_consultation
from safehold.crime.police_hotspots import RADII, STUDY_AREAS
from safehold.crime.rules import can_view_crime_analytics
from safehold.hotspots.grid import CELL_SIZES, DEFAULT_CELL_SIZE


class CanViewCrime(BasePermission):
    message = "Your role does not see crime analytics."

    def has_permission(self, request, view) -> bool:
        return bool(can_view_crime_analytics(request.user))


class CommaList(serializers.CharField):
    """A comma-separated list in one query parameter."""

    def to_internal_value(self, data):
        return [v.strip() for v in super().to_internal_value(data).split(",") if v.strip()]


class FilterSerializer(serializers.Serializer):
    # "from" is a Python keyword: declared under its query-string name below.
    to = serializers.RegexField(
        queries.MONTH_RE, required=False, help_text="The last month (YYYY-MM)."
    )
    crime_type = CommaList(
        required=False, help_text="Only these crime types (comma-separated police.uk names)."
    )
    area = serializers.CharField(
        required=False,
        help_text="An LSOA, ward or local authority code, E47000001 (Greater Manchester), "
        "E92000001, W92000004, K04000001, or a police force (greater-manchester).",
    )


FilterSerializer._declared_fields["from"] = serializers.RegexField(
    queries.MONTH_RE, required=False, help_text="The first month (YYYY-MM)."
)


class SummarySerializer(FilterSerializer):
    group_by = CommaList(
        required=False,
        default=("month",),
        help_text=f"Comma-separated keys: {', '.join(queries.GROUP_KEYS)}.",
    )
    rates = serializers.BooleanField(
        required=False, default=False, help_text="Add population and rate_per_1000."
    )


class CompareSerializer(FilterSerializer):
    area = serializers.CharField(help_text="The area to compare (e.g. E08000007 Stockport).")


class TopSerializer(FilterSerializer):
    level = serializers.ChoiceField(choices=queries.AREA_KEYS, required=False, default="ward")
    by = serializers.ChoiceField(choices=("count", "rate"), required=False, default="count")
    limit = serializers.IntegerField(min_value=1, max_value=1000, required=False, default=10)


class RepeatsSerializer(FilterSerializer):
    min_count = serializers.IntegerField(min_value=1, required=False, default=2)
    limit = serializers.IntegerField(min_value=1, max_value=1000, required=False, default=50)


class HotspotsSerializer(FilterSerializer):
    cell_size = serializers.ChoiceField(
        choices=CELL_SIZES,
        required=False,
        default=int(DEFAULT_CELL_SIZE),
        help_text="Cell size in metres.",
    )
    radius = serializers.ChoiceField(
        choices=RADII, required=False, default=1, help_text="Neighbourhood in cells (1: 3x3)."
    )
    alpha = serializers.FloatField(
        required=False,
        default=0.10,
        help_text="Return cells with a q-value at or below this: 0.10, 0.05 or 0.01.",
    )
    study_area = serializers.ChoiceField(
        choices=list(STUDY_AREAS),
        required=False,
        default="area",
        help_text="The grid's extent: the area's (area), Stockport's (borough) or the crimes' "
        "own (points).",
    )


class AnalysisView(ApiView):
    """One analysis over the analytics store; 400 with field errors for bad arguments."""

    permission_classes = [IsAuthenticated, CanViewCrime]
    analysis = ""
    params_class: type[serializers.Serializer] = FilterSerializer

    def get(self, request, *args, **kwargs):
        params = self.query_params(self.params_class)
        r = Request(
            start=params.get("from"),
            end=params.get("to"),
            crime_types=params.get("crime_type", []),
            area=params.get("area"),
            group_by=params.get("group_by", []),
            rates=params.get("rates", False),
            level=params.get("level", "ward"),
            by=params.get("by", "count"),
            limit=params.get("limit", 10),
            min_count=params.get("min_count", 2),
            cell_size=float(params.get("cell_size", DEFAULT_CELL_SIZE)),
            radius=int(params.get("radius", 1)),
            alpha=params.get("alpha", 0.10),
            study_area=params.get("study_area", "area"),
        )
        try:
            result = analyse(queries.connect(), self.analysis, r)
        except queries.QueryError as exc:
            raise serializers.ValidationError({exc.field: [str(exc)]}) from exc
        record_consultation(actor=request.user, result=result, fmt=self.fmt, channel=Channel.API)
        return Response(self.body(result))

    fmt = "json"

    def body(self, result) -> dict:
        return result.document()


def _view(name: str, params: type[serializers.Serializer], doc: str) -> type[AnalysisView]:
    @extend_schema(parameters=[params], responses=OpenApiTypes.OBJECT, description=doc)
    def get(self, request, *args, **kwargs):
        return AnalysisView.get(self, request, *args, **kwargs)

    return type(
        f"Crime{name.title()}View",
        (AnalysisView,),
        {"analysis": name, "params_class": params, "get": get, "__doc__": doc},
    )


CrimeSummaryView = _view("summary", SummarySerializer, "Counts grouped by any keys, with rates.")
CrimeTrendView = _view("trend", FilterSerializer, "Monthly counts, year on year, rolling 12.")
CrimeCompareView = _view(
    "compare", CompareSerializer, "An area against Greater Manchester and England and Wales."
)
CrimeTopView = _view("top", TopSerializer, "The areas with the most crime or the highest rate.")
CrimeSeasonalView = _view("seasonal", FilterSerializer, "The profile by month of year.")
CrimeRepeatsView = _view("repeats", RepeatsSerializer, "Places with repeated crime.")


class CrimeHotspotsView(AnalysisView):
    """Getis-Ord Gi* hot and cold spots of the crimes' anonymised points, as GeoJSON (the
    `safehold` member holds the grid, the method and what was counted)."""

    analysis = "hotspots"
    params_class = HotspotsSerializer
    fmt = "geojson"

    def body(self, result) -> dict:
        return result.geojson()

    @extend_schema(
        parameters=[HotspotsSerializer],
        responses=OpenApiTypes.OBJECT,
        description="Hot and cold spots of police.uk crimes as a GeoJSON FeatureCollection.",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
