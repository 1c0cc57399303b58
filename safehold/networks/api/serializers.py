"""The network in the API: the visible graph as entities and links (the shapes of `graph.Entity`
and `graph.Link`), the analyses over it, the OCG profiles as their pages show them, and a new
link. The query parameters are serializers too, so the OpenAPI schema describes them."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from safehold.networks.choices import (
    ActionStatus,
    Activity,
    FourP,
    Level,
    LinkType,
    MemberRole,
    OcgStatus,
    ThreatBand,
)
from safehold.networks.graph import ENTITY_TYPES, LINK_TYPES
from safehold.networks.models import OrganisedCrimeGroup

MEASURES = ("degree", "betweenness", "components", "communities", "path", "shared")
MOST_STEPS = 10


# What the caller asks.


class NetworkQuerySerializer(serializers.Serializer):
    """The network around an entity, to a number of steps, filtered by link type and date, as
    the link chart page filters it."""

    around = serializers.CharField(
        required=False, allow_blank=True, max_length=100,
        help_text="An entity id (person:…, location:…, object:…, event:…, ocg:…): only what is "
        "within `steps` links of it. Without it, the whole network the caller may see.",
    )  # fmt: skip
    steps = serializers.IntegerField(
        required=False, min_value=0, max_value=MOST_STEPS,
        help_text="How many links from `around` (default 2).",
    )  # fmt: skip
    types = serializers.ListField(
        child=serializers.ChoiceField(choices=LinkType.choices), required=False,
        help_text="Only links of these types (repeat the parameter); none: every type.",
    )  # fmt: skip
    start = serializers.DateField(required=False, help_text="Only links dated from (YYYY-MM-DD).")
    end = serializers.DateField(required=False, help_text="Only links dated to (YYYY-MM-DD).")

    def validate(self, data):
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise serializers.ValidationError(
                {"end": ["The last date must be the same as or after the first date"]}
            )
        return data


class NetworkAnalysisQuerySerializer(serializers.Serializer):
    measure = serializers.ChoiceField(
        choices=MEASURES, required=False, default="degree",
        help_text="degree, betweenness, components, communities (Leiden), path (with `from` "
        "and `to`) or shared (objects linked to two or more places).",
    )  # fmt: skip

    def validate(self, data):
        if data.get("measure") == "path":
            missing = {n: ["Enter an entity id"] for n in ("from", "to") if not data.get(n)}
            if missing:
                raise serializers.ValidationError(missing)
        return data


# `from` is a Python keyword: declared like the operations summary's.
for _name, _help in (("from", "Where the path starts: an entity id."),
                     ("to", "Where the path ends: an entity id.")):  # fmt: skip
    NetworkAnalysisQuerySerializer._declared_fields[_name] = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text=_help
    )


# What the caller gets.


@extend_schema_field(OpenApiTypes.NUMBER)
class NumberField(serializers.Field):
    """A measure's value as it is: an integer (degree, a component's or community's number) or
    a fraction (betweenness)."""

    def to_representation(self, value):
        return value


class NetworkEntitySerializer(serializers.Serializer):
    """A node: its stable id, its type and its label (a person's name, a place's address, a
    phone's number…)."""

    id = serializers.CharField()
    type = serializers.ChoiceField(choices=ENTITY_TYPES)
    label = serializers.CharField()
    attributes = serializers.DictField(child=serializers.CharField())


class NetworkLinkSerializer(serializers.Serializer):
    """A link between two entities of the same answer, with its date and where it came from
    (`attributes`: source, grading, case, date_to, role)."""

    id = serializers.CharField()
    source = serializers.CharField()
    target = serializers.CharField()
    type = serializers.ChoiceField(choices=LINK_TYPES)
    date = serializers.DateField(allow_null=True)
    attributes = serializers.DictField(child=serializers.CharField())


class NetworkSerializer(serializers.Serializer):
    around = NetworkEntitySerializer(allow_null=True)
    entities = NetworkEntitySerializer(many=True)
    links = NetworkLinkSerializer(many=True)


class NetworkMeasureRowSerializer(serializers.Serializer):
    entity = NetworkEntitySerializer()
    value = NumberField()


class NetworkPathSerializer(serializers.Serializer):
    """The shortest chain of visible links: `found` false (and no entities) when there is none,
    or when either end is not an entity the caller may see (the same answer)."""

    start = NetworkEntitySerializer(allow_null=True)
    end = NetworkEntitySerializer(allow_null=True)
    found = serializers.BooleanField()
    length = serializers.IntegerField(allow_null=True)
    entities = NetworkEntitySerializer(many=True)
    links = NetworkLinkSerializer(many=True)


class NetworkPlaceLinkSerializer(serializers.Serializer):
    location = NetworkEntitySerializer()
    direct = serializers.BooleanField()
    through = NetworkEntitySerializer(many=True)


class NetworkSharedObjectSerializer(serializers.Serializer):
    object = NetworkEntitySerializer()
    places = NetworkPlaceLinkSerializer(many=True)


class NetworkAnalysisSerializer(serializers.Serializer):
    """An analysis of the network the caller may see: `entities` and `links` count what was
    analysed; `rows` hold a measure (every entity, the most central first or by group), `path`
    the path asked for, `shared` the shared objects. The parts the measure does not fill are
    empty (null for `path`)."""

    measure = serializers.ChoiceField(choices=MEASURES)
    entities = serializers.IntegerField()
    links = serializers.IntegerField()
    rows = NetworkMeasureRowSerializer(many=True)
    path = NetworkPathSerializer(allow_null=True)
    shared = NetworkSharedObjectSerializer(many=True)


class OcgSerializer(serializers.ModelSerializer):
    """A group in the list: what it does and where, its current members counted (never named)
    and its latest threat band."""

    status = serializers.ChoiceField(choices=OcgStatus.choices)
    activities = serializers.ListField(child=serializers.ChoiceField(choices=Activity.choices))
    areas = serializers.ListField(child=serializers.CharField())
    owning_agency = serializers.CharField(source="owning_agency.name")
    current_members = serializers.SerializerMethodField()
    threat_band = serializers.SerializerMethodField()

    class Meta:
        model = OrganisedCrimeGroup
        fields = [
            "id", "name", "status", "activities", "areas", "description", "owning_agency",
            "current_members", "threat_band",
        ]  # fmt: skip

    def get_current_members(self, ocg) -> int:
        return sum(1 for m in ocg.members.all() if m.date_to is None)

    @extend_schema_field(serializers.ChoiceField(choices=ThreatBand.choices, allow_null=True))
    def get_threat_band(self, ocg) -> str | None:
        latest = ocg.assessments.all()[:1]
        return latest[0].band if latest else None


class OcgMemberSerializer(serializers.Serializer):
    entity_id = serializers.CharField()
    name = serializers.CharField()
    role = serializers.ChoiceField(choices=MemberRole.choices)
    date_from = serializers.DateField(allow_null=True)
    date_to = serializers.DateField(allow_null=True)


class OcgPremisesSerializer(serializers.Serializer):
    entity_id = serializers.CharField()
    address = serializers.CharField()
    why = serializers.CharField()


class OcgThreatAssessmentSerializer(serializers.Serializer):
    """The latest threat assessment (ADR 0050): each dimension 1 (low) to 3 (high) with its
    reason, and the band the documented rule gives."""

    harm = serializers.ChoiceField(choices=Level.choices)
    harm_reason = serializers.CharField()
    capability = serializers.ChoiceField(choices=Level.choices)
    capability_reason = serializers.CharField()
    intent = serializers.ChoiceField(choices=Level.choices)
    intent_reason = serializers.CharField()
    band = serializers.ChoiceField(choices=ThreatBand.choices)
    assessed_at = serializers.DateTimeField()
    assessed_by = serializers.CharField(source="assessed_by.full_name")


class OcgActionSerializer(serializers.Serializer):
    strand = serializers.ChoiceField(choices=FourP.choices)
    description = serializers.CharField()
    owner = serializers.SerializerMethodField()
    owner_agency = serializers.CharField(source="owner_agency.name")
    due_on = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=ActionStatus.choices)
    completed_on = serializers.DateField(allow_null=True)

    def get_owner(self, action) -> str | None:
        return action.owner_user.full_name if action.owner_user_id else None


class OcgChangeSerializer(serializers.Serializer):
    changed_at = serializers.DateTimeField()
    what = serializers.CharField()


class OcgProfileSerializer(OcgSerializer):
    """A group's profile as its page shows it: the members and premises the caller's gates
    allow (and how many others there are), the latest threat assessment, the 4P plan and the
    latest changes."""

    members = serializers.SerializerMethodField()
    hidden_members = serializers.SerializerMethodField()
    premises = serializers.SerializerMethodField()
    hidden_premises = serializers.SerializerMethodField()
    threat_assessment = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()

    class Meta(OcgSerializer.Meta):
        fields = [
            *OcgSerializer.Meta.fields, "members", "hidden_members", "premises",
            "hidden_premises", "threat_assessment", "actions", "history",
        ]  # fmt: skip

    def _profile(self):
        return self.context["profile"]

    @extend_schema_field(serializers.ChoiceField(choices=ThreatBand.choices, allow_null=True))
    def get_threat_band(self, ocg) -> str | None:
        latest = self._profile()["assessment"]
        return latest.band if latest else None

    @extend_schema_field(OcgMemberSerializer(many=True))
    def get_members(self, ocg):
        rows = [
            {"entity_id": f"person:{person.pk}", "name": person.full_name, "role": m.role,
             "date_from": m.date_from, "date_to": m.date_to}
            for m, person in self._profile()["members"]
        ]  # fmt: skip
        return OcgMemberSerializer(rows, many=True).data

    def get_hidden_members(self, ocg) -> int:
        return self._profile()["hidden_members"]

    @extend_schema_field(OcgPremisesSerializer(many=True))
    def get_premises(self, ocg):
        rows = [
            {"entity_id": f"location:{place.pk}", "address": place.one_line, "why": row.why}
            for row, place in self._profile()["premises"]
        ]
        return OcgPremisesSerializer(rows, many=True).data

    def get_hidden_premises(self, ocg) -> int:
        return self._profile()["hidden_premises"]

    @extend_schema_field(OcgThreatAssessmentSerializer(allow_null=True))
    def get_threat_assessment(self, ocg):
        latest = self._profile()["assessment"]
        return OcgThreatAssessmentSerializer(latest).data if latest else None

    @extend_schema_field(OcgActionSerializer(many=True))
    def get_actions(self, ocg):
        return OcgActionSerializer(self._profile()["actions"], many=True).data

    @extend_schema_field(OcgChangeSerializer(many=True))
    def get_history(self, ocg):
        return OcgChangeSerializer(self._profile()["history"], many=True).data


class NetworkLinkInputSerializer(serializers.Serializer):
    """A link to record between two entities the caller may see, as the "Add a link" page
    records it (`services.add_link`)."""

    end_a = serializers.CharField(max_length=100, help_text="An entity id, like person:…")
    end_b = serializers.CharField(max_length=100, help_text="An entity id, like object:…")
    type = serializers.ChoiceField(choices=LinkType.choices)
    date_from = serializers.DateField(required=False, allow_null=True)
    date_to = serializers.DateField(required=False, allow_null=True)
    source_reference = serializers.CharField(max_length=60, required=False, allow_blank=True)
    grading = serializers.CharField(max_length=10, required=False, allow_blank=True)
