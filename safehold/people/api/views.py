"""People through the API: the person list and one person, both audited with channel api."""

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated

from safehold import audit
from safehold.api.permissions import CanBrowsePeople
from safehold.api.views import RecordDetailView, RecordListView
from safehold.people.api.serializers import PersonQuerySerializer, PersonSerializer
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
    """One person the caller may see; anyone else is 404."""

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
