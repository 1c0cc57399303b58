"""Cases, tasks and referrals as the API shows them (codes, not labels), and the referral a
partner system sends."""

import datetime

from rest_framework import serializers

from safehold.api.conflicts import version_field
from safehold.cases.choices import (
    SIGNS,
    CaseStatus,
    ClosureReason,
    Consent,
    ExploitationType,
    ReferralStatus,
    RiskLevel,
    Urgency,
)
from safehold.cases.models import (
    Case,
    ChronologyEntry,
    EnforcementAction,
    Intervention,
    Referral,
    Sign,
    Task,
)
from safehold.core import dates
from safehold.core.postcodes import normalise_postcode, validate_postcode
from safehold.people.api.serializers import AgencySerializer


class UnsetAsNullChoiceField(serializers.ChoiceField):
    """A choice the record may not have yet (a model's blank=True choice field, stored as ""):
    null in the API and nullable in the schema, never an empty string outside the enum."""

    def __init__(self, choices, **kwargs):
        super().__init__(choices, read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value):
        return None if value in ("", None) else super().to_representation(value)


class NamedPersonSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField(source="full_name")


class LocationSummarySerializer(serializers.Serializer):
    id = serializers.UUIDField()
    summary = serializers.CharField(source="one_line")
    postcode = serializers.CharField()


class AreaSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CaseRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Case
        fields = ["id", "reference"]


class CaseSerializer(serializers.ModelSerializer):
    """A row of the case list."""

    subject = NamedPersonSerializer(read_only=True)
    location = LocationSummarySerializer(read_only=True, allow_null=True)
    area = AreaSerializer(read_only=True, allow_null=True)
    lead_officer = serializers.CharField(
        source="lead_officer.full_name", read_only=True, allow_null=True
    )
    other_types = serializers.ListField(
        child=serializers.ChoiceField(choices=ExploitationType.choices), read_only=True
    )
    has_overdue_tasks = serializers.BooleanField(source="has_overdue", read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "version",
            "reference",
            "status",
            "referral_date",
            "closed_on",
            "subject",
            "location",
            "area",
            "lead_officer",
            "exploitation_type",
            "other_types",
            "risk_level",
            "has_overdue_tasks",
        ]
        read_only_fields = fields


class InterventionSerializer(serializers.ModelSerializer):
    type = serializers.SlugRelatedField(slug_field="code", read_only=True)
    type_name = serializers.CharField(source="type.name", read_only=True)
    agency = AgencySerializer(read_only=True)

    class Meta:
        model = Intervention
        fields = ["id", "type", "type_name", "agency", "started_on", "ended_on", "notes"]
        read_only_fields = fields


class EnforcementSerializer(serializers.ModelSerializer):
    agency = AgencySerializer(read_only=True)

    class Meta:
        model = EnforcementAction
        fields = ["id", "kind", "status", "agency", "started_on", "served_at", "ends_on", "notes"]
        read_only_fields = fields


class CaseTaskSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.full_name", read_only=True, allow_null=True)
    owner_agency = AgencySerializer(read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "title",
            "due_on",
            "status",
            "is_overdue",
            "owner",
            "owner_agency",
            "completed_at",
        ]
        read_only_fields = fields


class TaskSerializer(CaseTaskSerializer):
    """A row of the task list: the task and the case it is on."""

    case = CaseRefSerializer(read_only=True)

    class Meta(CaseTaskSerializer.Meta):
        fields = [*CaseTaskSerializer.Meta.fields, "case"]
        read_only_fields = fields


class ChronologyEntrySerializer(serializers.ModelSerializer):
    recorded_by = serializers.CharField(
        source="recorded_by.full_name", read_only=True, allow_null=True
    )

    class Meta:
        model = ChronologyEntry
        fields = ["id", "kind", "occurred_at", "summary", "item", "recorded_by"]
        read_only_fields = fields


class CaseDetailSerializer(CaseSerializer):
    """One case with what its page shows."""

    owning_agency = AgencySerializer(read_only=True)
    referral_reference = serializers.CharField(
        source="referral.reference", read_only=True, allow_null=True
    )
    referral_source = serializers.CharField(
        source="referral_source.name", read_only=True, allow_null=True
    )
    interventions = InterventionSerializer(many=True, read_only=True)
    enforcement = EnforcementSerializer(many=True, read_only=True)
    tasks = CaseTaskSerializer(many=True, read_only=True)
    chronology = ChronologyEntrySerializer(many=True, read_only=True)
    closure_reason = UnsetAsNullChoiceField(
        ClosureReason.choices, help_text="Why the case was closed; null while it is open"
    )

    class Meta(CaseSerializer.Meta):
        fields = [
            f for f in CaseSerializer.Meta.fields if f != "has_overdue_tasks"
        ] + [
            "owning_agency",
            "referral_reference",
            "referral_source",
            "risk_rationale",
            "closure_reason",
            "closure_notes",
            "tenancy_sustained",
            "created_at",
            "modified_at",
            "interventions",
            "enforcement",
            "tasks",
            "chronology",
        ]  # fmt: skip
        read_only_fields = fields


class CaseQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=CaseStatus.choices, required=False, allow_blank=True)
    exploitation_type = serializers.ChoiceField(
        choices=ExploitationType.choices, required=False, allow_blank=True
    )
    risk_level = serializers.ChoiceField(
        choices=RiskLevel.choices, required=False, allow_blank=True
    )
    search = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="Case reference (also matches the subject's name or the postcode)",
    )


class TaskQuerySerializer(serializers.Serializer):
    mine = serializers.BooleanField(
        required=False, default=False, help_text="Only tasks owned by the caller"
    )


class ReferralSerializer(serializers.ModelSerializer):
    """A referral as its referrer or the triage team sees it, with its outcome."""

    referrer_agency = AgencySerializer(read_only=True, allow_null=True)
    signs = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    suspected_types = serializers.ListField(
        child=serializers.ChoiceField(choices=ExploitationType.choices), read_only=True
    )
    case_reference = serializers.SerializerMethodField(
        help_text="The case opened from this referral, once accepted"
    )
    decision_reason = serializers.SerializerMethodField(
        help_text="Why the referral was declined or signposted"
    )
    signposted_to = serializers.SerializerMethodField()
    consent = UnsetAsNullChoiceField(Consent.choices, help_text="null on a draft not yet given")
    urgency = UnsetAsNullChoiceField(Urgency.choices, help_text="null on a draft not yet given")

    class Meta:
        model = Referral
        fields = [
            "id",
            "version",
            "reference",
            "status",
            "created_at",
            "submitted_at",
            "referrer_agency",
            "subject_known",
            "subject_given_name",
            "subject_family_name",
            "subject_date_of_birth",
            "subject_description",
            "address_line_1",
            "address_line_2",
            "town",
            "postcode",
            "signs",
            "what_was_seen",
            "suspected_types",
            "consent",
            "urgency",
            "risks_to_staff",
            "case_reference",
            "decision_reason",
            "signposted_to",
        ]
        read_only_fields = fields

    def get_case_reference(self, referral: Referral) -> str | None:
        case = (
            getattr(referral, "case", None) if referral.status == ReferralStatus.ACCEPTED else None
        )
        return case.reference if case is not None else None

    def get_decision_reason(self, referral: Referral) -> str | None:
        if referral.status in (ReferralStatus.DECLINED, ReferralStatus.SIGNPOSTED):
            return referral.decision_reason
        return None

    def get_signposted_to(self, referral: Referral) -> str | None:
        if referral.status == ReferralStatus.SIGNPOSTED:
            return referral.signposted_to
        return None


SIGN_CODES = ", ".join(code for code, _ in SIGNS)


class CodeListField(serializers.ListField):
    """A list of codes whose errors are a flat list of messages, like every other field's
    (DRF would key them by position: {"0": [...]})."""

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if not isinstance(exc.detail, dict):
                raise
            messages = [m for errors in exc.detail.values() for m in errors]
            raise serializers.ValidationError(list(dict.fromkeys(messages))) from exc


class ReferralInputSerializer(serializers.Serializer):
    """A referral from a partner system, checked like the referral form before it is sent."""

    subject_known = serializers.BooleanField(
        default=True, help_text="false when the referrer does not know who the person is"
    )
    subject_given_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    subject_family_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    subject_date_of_birth = serializers.DateField(required=False, allow_null=True)
    subject_description = serializers.CharField(required=False, allow_blank=True)
    address_line_1 = serializers.CharField(max_length=200, required=False, allow_blank=True)
    address_line_2 = serializers.CharField(max_length=200, required=False, allow_blank=True)
    town = serializers.CharField(max_length=100, required=False, allow_blank=True)
    postcode = serializers.CharField(
        max_length=8, required=False, allow_blank=True, validators=[validate_postcode]
    )
    signs = CodeListField(
        child=serializers.CharField(max_length=50),
        required=False,
        help_text=f"Codes from the signs checklist: {SIGN_CODES}",
    )
    what_was_seen = serializers.CharField(
        error_messages={
            "required": "Enter what you saw or were told",
            "blank": "Enter what you saw or were told",
        }
    )
    suspected_types = CodeListField(
        child=serializers.ChoiceField(choices=ExploitationType.choices), required=False
    )
    consent = serializers.ChoiceField(
        choices=Consent.choices,
        error_messages={"required": "Select whether the person knows about the referral"},
    )
    urgency = serializers.ChoiceField(
        choices=Urgency.choices, error_messages={"required": "Select how urgent this is"}
    )
    risks_to_staff = serializers.CharField(
        required=False, allow_blank=True, help_text="Anything staff visiting should know"
    )
    contact_details = serializers.CharField(
        required=False, allow_blank=True, help_text="How triage can reach the referrer"
    )

    def validate_subject_date_of_birth(self, value: datetime.date | None):
        if value is not None and value > dates.today():
            raise serializers.ValidationError("Date of birth must be today or in the past")
        return value

    def validate_postcode(self, value: str) -> str:
        return normalise_postcode(value) if value else ""

    def validate_signs(self, codes: list[str]) -> list[Sign]:
        wanted = list(dict.fromkeys(codes))
        found = {sign.code: sign for sign in Sign.objects.filter(code__in=wanted)}
        unknown = [code for code in wanted if code not in found]
        if unknown:
            raise serializers.ValidationError(
                f"Unknown sign: {', '.join(unknown)}. Use codes from the signs checklist"
            )
        return [found[code] for code in wanted]

    def validate_suspected_types(self, types: list[str]) -> list[str]:
        return list(dict.fromkeys(types))

    def validate(self, data: dict) -> dict:
        errors = {}
        names = (data.get("subject_given_name", ""), data.get("subject_family_name", ""))
        if data["subject_known"] and not any(n.strip() for n in names):
            errors["subject_given_name"] = [
                "Enter the person's first name or last name, or send subject_known false "
                "if you do not know who they are"
            ]
        if not (data.get("address_line_1", "").strip() or data.get("postcode")):
            errors["address_line_1"] = ["Enter the address, or at least the postcode"]
        if errors:
            raise serializers.ValidationError(errors)
        return data


class ReferralCreatedSerializer(serializers.ModelSerializer):
    class Meta:
        model = Referral
        fields = ["id", "reference", "status"]
        read_only_fields = fields


class CaseChangeSerializer(serializers.Serializer):
    """A change to a case's risk level, with why, based on the version read."""

    version = version_field()
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices)
    risk_rationale = serializers.CharField(
        help_text="Why the risk level is changing",
        error_messages={"blank": "Enter why the risk level is changing"},
    )
