"""People as the API shows them: what the person page shows, codes rather than labels."""

from rest_framework import serializers

from safehold.accounts.models import Agency
from safehold.people.models import Person


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

    class Meta:
        model = Person
        fields = [
            "id",
            "given_name",
            "family_name",
            "aliases",
            "date_of_birth",
            "gender",
            "vulnerabilities",
            "owning_agency",
        ]
        read_only_fields = fields


class PersonQuerySerializer(serializers.Serializer):
    search = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="Name or alias"
    )
