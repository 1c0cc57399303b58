"""Intelligence in the API: what a caller sees of a submission depends on the read gate's
access level, as on the pages (ADR 0049)."""

from rest_framework import serializers

from safehold.intelligence import selectors
from safehold.intelligence.choices import MentionKind, SourceRelationship
from safehold.intelligence.models import Intelligence


class MentionSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MentionKind.choices)
    value = serializers.CharField(max_length=300)


class IntelligenceSerializer(serializers.ModelSerializer):
    """Every caller: id, reference, submitted_at, status and `access` (full, status or
    sanitised). Sanitised adds the grading, handling code, conditions and sanitised text; full
    (the police intelligence role) adds the original and what was done."""

    access = serializers.SerializerMethodField()
    # The fields past the status ones are left out for callers with less access, so the schema
    # must not list them as required: not read_only (drf-spectacular lists every read-only
    # field as required), and required=False. The serializer only ever answers GET requests.
    submitting_agency = serializers.CharField(source="owning_agency.name", required=False)
    mentions = MentionSerializer(many=True, required=False)

    STATUS_FIELDS = ("id", "reference", "submitted_at", "status", "access")
    SANITISED_FIELDS = (
        *STATUS_FIELDS, "graded_at", "grading", "source_evaluation", "assessment",
        "handling_code", "handling_conditions", "sanitised_text",
    )  # fmt: skip

    class Meta:
        model = Intelligence
        fields = [
            "id", "reference", "submitted_at", "status", "access", "submitting_agency",
            "what", "where", "location_address", "occurred_on", "occurred_time",
            "occurred_until", "who", "source_relationship", "source_relationship_detail",
            "mentions", "graded_at", "grading", "source_evaluation", "assessment",
            "handling_code", "handling_conditions", "sanitised_text", "serious_harm",
            "action_taken", "review_on",
        ]  # fmt: skip
        extra_kwargs = {
            name: {"required": False}
            for name in fields
            if name not in ("id", "reference", "submitted_at", "status", "access")
        }

    grading = serializers.CharField(required=False)

    def get_access(self, intelligence) -> str:
        return selectors.access_of(self.context["request"].user, intelligence)

    def to_representation(self, intelligence):
        data = super().to_representation(intelligence)
        access = data["access"]
        if access == selectors.FULL:
            return data
        keep = self.STATUS_FIELDS if access == selectors.STATUS else self.SANITISED_FIELDS
        return {name: value for name, value in data.items() if name in keep}


class IntelligenceInputSerializer(serializers.Serializer):
    """A submission from a partner system, checked like the form."""

    what = serializers.CharField(max_length=10000)
    where = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    occurred_on = serializers.DateField()
    occurred_time = serializers.TimeField(required=False, allow_null=True)
    occurred_until = serializers.DateField(required=False, allow_null=True)
    who = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    source_relationship = serializers.ChoiceField(choices=SourceRelationship.choices)
    source_relationship_detail = serializers.CharField(
        max_length=1000, required=False, allow_blank=True
    )
    mentions = MentionSerializer(many=True, required=False)


class IntelligenceCreatedSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    reference = serializers.CharField()
    status = serializers.CharField()
