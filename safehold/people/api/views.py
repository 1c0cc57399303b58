"""People through the API: the person list and one person, both audited with channel api."""

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from safehold import audit
from safehold.api.conflicts import CONFLICT_RESPONSE, with_current
from safehold.api.permissions import CanBrowsePeople
from safehold.api.views import RecordDetailView, RecordListView
from safehold.core.locking import EditConflict
from safehold.people import services
from safehold.people.api.serializers import (
    PersonChangeSerializer,
    PersonQuerySerializer,
    PersonSerializer,
)
from safehold.people.selectors import people_visible_to, search_people


class PersonList(RecordListView):
    """People the caller's agency holds, by family name; `search` matches names and aliases."""

    serializer_class = PersonSerializer
    permission_classes = [IsAuthenticated, CanBrowsePeople]
    noun = "person"
    search = ""

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return people_visible_to(self.request.user)
        self.search = self.query_params(PersonQuerySerializer).get("search", "").strip()
        return search_people(self.request.user, query=self.search)

    def list_purpose(self) -> str:
        return audit.search_purpose("person list", {"search": self.search})

    def subjects_of(self, record):
        return [record]

    @extend_schema(parameters=[PersonQuerySerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PersonDetail(RecordDetailView):
    """One person the caller may see; anyone else is 404. PATCH changes them (their agency's
    caseworkers), based on the `version` read: 409 if someone changed them since."""

    serializer_class = PersonSerializer
    noun = "person"

    def get_queryset(self):
        return (
            people_visible_to(self.request.user)
            .select_related("owning_agency")
            .prefetch_related("aliases", "vulnerabilities")
        )

    def subjects_of(self, record):
        return [record]

    @extend_schema(
        request=PersonChangeSerializer,
        responses={200: PersonSerializer, 409: CONFLICT_RESPONSE},
        description="Change a person's details. Send the `version` you read and only the "
        "fields to change; a person changed by someone else since is 409, and nothing changes.",
    )
    def patch(self, request, *args, **kwargs):
        person = self.get_object()
        incoming = PersonChangeSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        fields = dict(incoming.validated_data)
        version = fields.pop("version")
        for name in ("given_name", "family_name", "police_intelligence", "health_details"):
            if name in fields:
                fields[name] = fields[name].strip()
        try:
            services.update_person(person=person, by=request.user, version=version, **fields)
        except EditConflict as conflict:
            now = self.get_queryset().get(pk=person.pk)
            raise with_current(conflict, self.get_serializer(now).data) from None
        return Response(self.get_serializer(self.get_queryset().get(pk=person.pk)).data)
