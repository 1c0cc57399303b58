"""The evaluation report through the API: the same JSON as `safehold report evaluation`."""

from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from safehold import audit
from safehold.api.views import ApiView
from safehold.audit.choices import Action, Channel
from safehold.cases.models import Programme
from safehold.cases.services.referrals import default_programme
from safehold.reports import formats, selectors
from safehold.reports.choices import SavingRounding
from safehold.reports.forms import OWN, PARTNERSHIP
from safehold.reports.rules import can_view_reports
from safehold.reports.views import build_described_report


class CanViewReports(BasePermission):
    message = "Your role does not see reports."

    def has_permission(self, request, view) -> bool:
        return bool(can_view_reports(request.user))


class EvaluationQuerySerializer(serializers.Serializer):
    # "from" is a Python keyword: the field is declared under its query-string name below.
    to = serializers.DateField(help_text="The last referral date of the period (YYYY-MM-DD).")
    programme = serializers.CharField(required=False, help_text="Programme name (default: first).")
    format = serializers.ChoiceField(choices=["json"], required=False, default="json")
    scope = serializers.ChoiceField(
        choices=[OWN, PARTNERSHIP],
        required=False,
        default=OWN,
        help_text="own: the cases held by or shared with the caller's agency; partnership: "
        "every case of the programme as counts only, for agencies whose sharing agreement with "
        "the lead agency covers casework statistics (a count of 1 to 4 suppressed).",
    )
    average_void_cost = serializers.DecimalField(
        max_digits=12, decimal_places=4, min_value=0, required=False
    )
    service_cost = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False
    )
    round_saving_to = serializers.ChoiceField(
        choices=SavingRounding.values,
        required=False,
        help_text="Round the saving to the penny or the nearest pound (default: the setting's).",
    )

    def validate(self, attrs):
        if attrs["to"] < attrs["from"]:
            raise serializers.ValidationError({"to": "must be the same as or after from"})
        return attrs


EvaluationQuerySerializer._declared_fields["from"] = serializers.DateField(
    help_text="The first referral date of the period (YYYY-MM-DD)."
)


class EvaluationReportView(ApiView):
    """The evaluation and cost-benefit report over the cases the caller may see."""

    permission_classes = [IsAuthenticated, CanViewReports]

    @extend_schema(parameters=[EvaluationQuerySerializer], responses=OpenApiTypes.OBJECT)
    def get(self, request, *args, **kwargs):
        params = self.query_params(EvaluationQuerySerializer)
        name = params.get("programme")
        programme = Programme.objects.filter(name=name).first() if name else default_programme()
        if programme is None:
            raise serializers.ValidationError({"programme": "no such programme"})
        partnership = params.get("scope") == PARTNERSHIP
        if partnership and not selectors.may_see_partnership_figures(request.user, programme):
            raise PermissionDenied("Your organisation's sharing agreements do not cover them.")
        report, covered, suppress = build_described_report(
            request.user,
            programme=programme,
            partnership=partnership,
            date_from=params["from"],
            date_to=params["to"],
            average_void_cost=params.get("average_void_cost"),
            service_cost=params.get("service_cost"),
            saving_rounding=params.get("round_saving_to"),
        )
        audit.record(
            action=Action.CONSULT,
            actor=request.user,
            target=programme,
            purpose=f"evaluation report {params['from']} to {params['to']} (json"
            + (", the partnership's figures)" if partnership else ")"),
            channel=Channel.API,
        )
        return Response(formats.as_dict(report, coverage=covered, suppress=suppress))
