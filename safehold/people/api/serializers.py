"""People as the API shows them: what the person page shows, codes rather than labels."""

from rest_framework import serializers

from safehold.accounts.models import Agency
from safehold.api.conflicts import version_field
from safehold.people.choices import Gender
from safehold.people.models import Person
from safehold.people.restrictions import RESTRICTED_FIELDS, hidden_fields


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "name"]


class PersonSerializer(serializers.ModelSerializer):
    aliases = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    vulnerabilities = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="code", help_text="Vulnerability catalogue codes"
    )
    owning_agency = AgencySerializer(read_only=True)
    # Not read_only: drf-spectacular lists every read-only field as required, and these are
    # left out for most callers. The serializer only ever answers GET requests.
    police_intelligence = serializers.CharField(
        required=False,
        help_text="Only for police users and the owning agency's information governance "
        "officers; left out for everyone else",
    )
    health_details = serializers.CharField(
        required=False,
        help_text="Only for health and adult social care users and the owning agency's "
        "information governance officers; left out for everyone else",
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "version",
            "given_name",
            "family_name",
            "aliases",
            "date_of_birth",
            "gender",
            "vulnerabilities",
            "owning_agency",
            "police_intelligence",
            "health_details",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        """Leave out the restricted fields the caller may not see; with no caller, all of them."""
        request = self.context.get("request")
        user = getattr(request, "user", None)
        hidden = hidden_fields(user, instance) if user is not None else set(RESTRICTED_FIELDS)
        data = super().to_representation(instance)
        for name in hidden:
            data.pop(name, None)
        return data


class PersonQuerySerializer(serializers.Serializer):
    search = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="Name or alias"
    )


class PersonChangeSerializer(serializers.Serializer):
    """A change to a person: the version read, and only the fields to change. A restricted
    field the caller may not set is refused (400), as on the person page."""

    version = version_field()
    given_name = serializers.CharField(max_length=100, required=False)
    family_name = serializers.CharField(max_length=100, required=False)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False)
    police_intelligence = serializers.CharField(required=False, allow_blank=True)
    health_details = serializers.CharField(required=False, allow_blank=True)
