"""Operations through the API: the same read gates, services' totals and audit as the pages,
with channel api. The summary is the JSON of `safehold operations summary --format json`."""

from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from safehold import audit
from safehold.api.views import ApiView, RecordDetailView, RecordListView
from safehold.audit.choices import Action, Channel
from safehold.operations import rules
from safehold.operations.models import Operation
from safehold.operations.selectors import operations_counted_for, operations_visible_to
from safehold.operations.summary import default_period, summarise


class CanSeeOperations(BasePermission):
    message = "Your role does not see operations."

    def has_permission(self, request, view) -> bool:
        return bool(rules.can_see(request.user))


class CanSeeSummary(BasePermission):
    message = "Your role does not see the operations summary."

    def has_permission(self, request, view) -> bool:
        return bool(rules.can_see_summary(request.user))


class OperationSerializer(serializers.ModelSerializer):
    lead_agency = serializers.CharField(source="owning_agency.name")
    partner_agencies = serializers.SerializerMethodField()
    kind_label = serializers.CharField(source="get_kind_display")
    area = serializers.CharField()

    class Meta:
        model = Operation
        fields = [
            "id", "name", "kind", "kind_label", "lead_agency", "partner_agencies", "starts_at",
            "phase", "ward", "lsoa", "area",
        ]  # fmt: skip

    def get_partner_agencies(self, operation) -> list[str]:
        return [p.agency.name for p in operation.partners.all()]


class _Operations:
    serializer_class = OperationSerializer
    noun = "operation"

    def get_queryset(self):
        return operations_visible_to(self.request.user).prefetch_related("partners__agency")


class OperationList(_Operations, RecordListView):
    """The operations the caller's agency leads or takes part in, latest first."""

    permission_classes = [IsAuthenticated, CanSeeOperations]


class OperationDetail(_Operations, RecordDetailView):
    """One operation the caller's agency takes part in; anyone else is 404."""


class SummaryParams(serializers.Serializer):
    to = serializers.DateField(required=False, help_text="The last date (YYYY-MM-DD).")
    area = serializers.CharField(required=False, help_text="A ward or LSOA code.")


SummaryParams._declared_fields["from"] = serializers.DateField(
    required=False, help_text="The first date (YYYY-MM-DD)."
)


class OperationSummary(ApiView):
    """Totals of the operations the caller's agency led or took part in, for a period and area:
    arrests, safeguarding_referrals, closure_orders and the others (docs/formats/operations.md)."""

    permission_classes = [IsAuthenticated, CanSeeSummary]

    @extend_schema(parameters=[SummaryParams], responses=OpenApiTypes.OBJECT)
    def get(self, request, *args, **kwargs):
        params = self.query_params(SummaryParams)
        start, end = default_period()
        start, end = params.get("from", start), params.get("to", end)
        if end < start:
            raise serializers.ValidationError(
                {"to": ["The last date must not be before the first"]}
            )
        summary = summarise(
            operations_counted_for(request.user), start=start, end=end,
            area=params.get("area", "").strip().upper(),
        )  # fmt: skip
        audit.record(
            action=Action.CONSULT, actor=request.user, object_type="operations.operation",
            purpose="operations summary", channel=Channel.API,
        )  # fmt: skip
        return Response(summary.as_dict() | {"paragraph": summary.paragraph()})
