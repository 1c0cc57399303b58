"""Intelligence through the API: the same read gate, access levels, services and audit as the
pages, with channel api."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from safehold.api.views import RecordDetailView, RecordListView
from safehold.intelligence import rules, services
from safehold.intelligence.api.serializers import (
    IntelligenceCreatedSerializer,
    IntelligenceInputSerializer,
    IntelligenceSerializer,
)
from safehold.intelligence.selectors import intelligence_visible_to


class MayUseIntelligence(BasePermission):
    message = "Your role does not see or submit intelligence."

    def has_permission(self, request, view) -> bool:
        return bool(rules.may_use_intelligence(request.user))


class _Intelligence:
    serializer_class = IntelligenceSerializer
    noun = "intelligence"

    def get_queryset(self):
        return intelligence_visible_to(self.request.user).prefetch_related("mentions")


class IntelligenceList(_Intelligence, RecordListView):
    """The intelligence the caller may see, newest first, each as much as they may see of it;
    POST submits intelligence as the caller (status submitted)."""

    permission_classes = [IsAuthenticated, MayUseIntelligence]

    @extend_schema(
        request=IntelligenceInputSerializer,
        responses={201: IntelligenceCreatedSerializer},
        description="Submit intelligence to the police intelligence role, in the caller's "
        "agency's name. Mentions are kept as typed. Bad input is 400 with field errors.",
    )
    def post(self, request, *args, **kwargs):
        incoming = IntelligenceInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        fields = dict(incoming.validated_data)
        mentions = [(m["kind"], m["value"]) for m in fields.pop("mentions", [])]
        intelligence = services.submit_intelligence(by=request.user, mentions=mentions, **fields)
        return Response(
            IntelligenceCreatedSerializer(intelligence).data,
            status=status.HTTP_201_CREATED,
            headers={
                "Location": reverse("api:intelligence-detail", kwargs={"pk": intelligence.pk})
            },
        )


class IntelligenceDetail(_Intelligence, RecordDetailView):
    """One submission the caller may see; anyone else is 404."""
