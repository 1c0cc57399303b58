"""Meetings through the API: the same gates, agenda and audit as the pages, with channel api."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from safehold import audit
from safehold.api.permissions import CanBrowsePeople
from safehold.api.views import RecordDetailView, RecordListView
from safehold.audit.choices import Action as AuditAction
from safehold.audit.choices import Channel
from safehold.meetings import pack, selectors
from safehold.meetings.models import Action, Meeting


class MeetingSerializer(serializers.ModelSerializer):
    series = serializers.CharField(source="series.name")
    chair_agency = serializers.CharField(source="series.owning_agency.name")

    class Meta:
        model = Meeting
        fields = ["id", "series", "held_on", "status", "chair_agency"]


class _Meetings:
    serializer_class = MeetingSerializer
    noun = "meeting"

    def get_queryset(self):
        return selectors.meetings_visible_to(self.request.user).order_by("-held_on", "pk")


class MeetingList(_Meetings, RecordListView):
    """The meetings of the series the caller's agency chairs or attends, newest first."""

    permission_classes = [IsAuthenticated, CanBrowsePeople]


class MeetingDetail(_Meetings, RecordDetailView):
    """One meeting the caller's agency chairs or attends; anyone else is 404 (a role that may
    not see meetings too: the gate returns nothing, never a 403)."""


class AgendaLineSerializer(serializers.Serializer):
    text = serializers.CharField()
    reference = serializers.CharField()
    day = serializers.DateField(allow_null=True)
    detail = serializers.CharField()


class AgendaSectionSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    lines = AgendaLineSerializer(many=True)


class AgendaSerializer(serializers.Serializer):
    meeting = serializers.UUIDField()
    series = serializers.CharField()
    held_on = serializers.DateField()
    status = serializers.CharField()
    for_agency = serializers.CharField()
    sections = AgendaSectionSerializer(many=True)


class MeetingAgenda(_Meetings, RecordDetailView):
    """The meeting's agenda built from Safehold, as the caller's agency may see it (the same
    document as `safehold meetings agenda MEETING --format json`)."""

    serializer_class = AgendaSerializer

    @extend_schema(responses=AgendaSerializer)
    def get(self, request, *args, **kwargs):
        meeting = self.get_object()
        found = pack.contents(meeting, request.user)
        records, subjects = pack.audited_records(found)
        audit.record(
            action=AuditAction.CONSULT, actor=request.user, target=meeting, targets=records,
            subjects=subjects, purpose="meeting agenda", channel=Channel.API,
        )  # fmt: skip
        return Response(pack.agenda_data(found))


class ActionSerializer(serializers.ModelSerializer):
    meeting = serializers.CharField(source="meeting.__str__")
    case_reference = serializers.SerializerMethodField()
    owning_agency = serializers.CharField(source="owning_agency.name")

    class Meta:
        model = Action
        fields = ["id", "meeting", "case_reference", "description", "owning_agency", "due_on"]

    def get_case_reference(self, action) -> str:
        return action.case.reference if action.case_id else ""


class MyActions(RecordListView):
    """The caller's open actions from meetings (theirs, or their agency's with no one named)."""

    serializer_class = ActionSerializer
    noun = "meeting action"
    permission_classes = [IsAuthenticated, CanBrowsePeople]

    def get_queryset(self):
        return selectors.my_actions(self.request.user)

    def subjects_of(self, record):
        return [record.case.subject_id] if record.case_id else []
