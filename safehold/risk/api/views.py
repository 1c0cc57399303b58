"""The top indicators list through the API: the same selector as the page (`list_for`, what
the caller may see, one audit event naming the subjects returned, channel api) and the same
JSON as `safehold risk list --format json` (docs/formats/risk-list.md)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from safehold.api.views import ApiView
from safehold.core import dates
from safehold.risk import rules
from safehold.risk.engine import UnknownArea
from safehold.risk.formats import as_json
from safehold.risk.selectors import list_for

MOST = 500


class MaySeeList(BasePermission):
    message = "Your role does not see the top indicators list."

    def has_permission(self, request, view) -> bool:
        return bool(rules.can_see_list(request.user))


class ListQuerySerializer(serializers.Serializer):
    as_of = serializers.DateField(
        required=False, help_text="The list's date (YYYY-MM-DD); today by default."
    )
    area = serializers.CharField(
        required=False, allow_blank=True, max_length=100,
        help_text="A ward, by its name or ONS code; every area without.",
    )  # fmt: skip
    top = serializers.IntegerField(
        required=False, min_value=1, max_value=MOST,
        help_text=f"Only the first N entries the caller may see (at most {MOST}, the default).",
    )  # fmt: skip


class EvidenceSerializer(serializers.Serializer):
    agency = serializers.CharField()
    full = serializers.BooleanField()
    record = serializers.CharField(allow_null=True)
    date = serializers.DateField(allow_null=True)
    what = serializers.CharField()
    request_access = serializers.CharField(allow_null=True)


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField(allow_null=True)
    name = serializers.CharField()
    weight = serializers.IntegerField()
    evidence = EvidenceSerializer(many=True)


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    weight = serializers.IntegerField()


class EntrySerializer(serializers.Serializer):
    subject_ref = serializers.CharField()
    score = serializers.IntegerField()
    indicators = IndicatorSerializer(many=True)
    name = serializers.CharField()
    ward = serializers.CharField(allow_null=True)
    fingerprint = serializers.CharField()
    reasons = ReasonSerializer(many=True)


class ListSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    area = serializers.CharField(allow_null=True)
    indicators_version = serializers.IntegerField()
    entries = EntrySerializer(many=True)


class ListView(ApiView):
    """The top indicators list of a date and area as the caller may see it: each entry's score
    and reasons, each piece of evidence in full or as "an indicator from <Agency>'s data".
    Every entry is a prompt for a person's review: nothing is decided by the list."""

    permission_classes = [IsAuthenticated, MaySeeList]

    @extend_schema(parameters=[ListQuerySerializer], responses=ListSerializer)
    def get(self, request, *args, **kwargs):
        params = self.query_params(ListQuerySerializer)
        try:
            made = list_for(
                request.user,
                params.get("as_of") or dates.today(),
                (params.get("area") or "").strip() or None,
                top=params.get("top", MOST),
            )
        except UnknownArea as error:
            raise ValidationError({"area": [str(error)]}) from error
        return Response(as_json(made))
