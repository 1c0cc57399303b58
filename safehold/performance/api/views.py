"""The board report through the API: the same JSON as `safehold kpi report --format json`."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from safehold import audit
from safehold.api.views import ApiView
from safehold.audit.choices import Action, Channel
from safehold.performance import formats
from safehold.performance.periods import PeriodError, parse
from safehold.performance.report import board_report, latest_period
from safehold.performance.rules import can_view_performance


class CanViewPerformance(BasePermission):
    message = "Your role does not see reports."

    def has_permission(self, request, view) -> bool:
        return bool(can_view_performance(request.user))


class BoardReportQuerySerializer(serializers.Serializer):
    period = serializers.CharField(
        required=False,
        help_text="The latest period shown: 2016/17, 2016/17 Q3 or 2017-01 (default: the "
        "latest period any value is held for).",
    )

    def validate_period(self, value):
        try:
            return parse(value)
        except PeriodError as exc:
            raise serializers.ValidationError(str(exc)) from exc


class BoardReportView(ApiView):
    """The partnership's key indicators for a period: values, trends, comparisons."""

    permission_classes = [IsAuthenticated, CanViewPerformance]

    @extend_schema(
        parameters=[BoardReportQuerySerializer],
        responses={200: {"type": "array", "items": {"type": "object"}}},
        description="A list with one object per indicator (docs/formats/kpi-report.md).",
    )
    def get(self, request, *args, **kwargs):
        params = self.query_params(BoardReportQuerySerializer)
        period = params.get("period") or latest_period()
        if period is None:
            return Response([])
        report = board_report(period, viewer=request.user, with_parts=False)
        audit.record(
            action=Action.CONSULT,
            actor=request.user,
            object_type="performance.indicator",
            purpose=f"board report {period} (json)",
            channel=Channel.API,
        )
        return Response(formats.as_list(report))
