"""Visits through the API: the same read gate and audit as the pages, with channel api."""

from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated

from safehold.api.permissions import CanBrowsePeople
from safehold.api.views import RecordDetailView, RecordListView
from safehold.example.models import Visit
from safehold.example.selectors import visits_visible_to


class VisitSerializer(serializers.ModelSerializer):
    case_reference = serializers.CharField(source="case.reference")

    class Meta:
        model = Visit
        fields = ["id", "case", "case_reference", "visited_on", "outcome", "note"]


class _Visits:
    serializer_class = VisitSerializer
    noun = "visit"

    def get_queryset(self):
        return visits_visible_to(self.request.user)

    def subjects_of(self, record):
        return [record.case.subject_id]


class VisitList(_Visits, RecordListView):
    """Visits to the cases the caller may see, newest first."""

    permission_classes = [IsAuthenticated, CanBrowsePeople]


class VisitDetail(_Visits, RecordDetailView):
    """One visit the caller may see; anyone else is 404."""
