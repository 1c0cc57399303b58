"""Cases, tasks and referrals through the API: reads start from the selectors and are audited
with channel api; a referral sent here goes through the same services as the referral form."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from safehold import audit
from safehold.api.conflicts import CONFLICT_RESPONSE, with_current
from safehold.api.permissions import CanBrowsePeople
from safehold.api.views import RecordDetailView, RecordListView
from safehold.cases.api.serializers import (
    CaseChangeSerializer,
    CaseDetailSerializer,
    CaseQuerySerializer,
    CaseSerializer,
    ReferralCreatedSerializer,
    ReferralInputSerializer,
    ReferralSerializer,
    TaskQuerySerializer,
    TaskSerializer,
)
from safehold.cases.selectors import (
    case_detail,
    cases_visible_to,
    open_tasks_visible_to,
    referrals_visible_to,
    search_cases,
)
from safehold.cases.services import cases as case_services
from safehold.cases.services import referrals
from safehold.core.locking import EditConflict


class CaseList(RecordListView):
    """Cases the caller may see, newest referral first; filter by status, type and risk."""

    serializer_class = CaseSerializer
    permission_classes = [IsAuthenticated, CanBrowsePeople]
    noun = "case"
    filters: dict[str, str] | None = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return cases_visible_to(self.request.user)
        params = self.query_params(CaseQuerySerializer)
        self.filters = {
            "search": params.get("search", "").strip(),
            "status": params.get("status", ""),
            "exploitation_type": params.get("exploitation_type", ""),
            "risk_level": params.get("risk_level", ""),
        }
        return search_cases(
            self.request.user,
            query=self.filters["search"],
            status=self.filters["status"],
            exploitation_type=self.filters["exploitation_type"],
            risk_level=self.filters["risk_level"],
        )

    def list_purpose(self) -> str:
        return audit.search_purpose("case list", self.filters or {})

    def subjects_of(self, record):
        return [record.subject_id]

    @extend_schema(parameters=[CaseQuerySerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CaseDetail(RecordDetailView):
    """One case with its interventions, enforcement, tasks and chronology. PATCH changes its
    risk level (the holding agency's caseworkers), based on the `version` read: 409 if someone
    changed the case since."""

    serializer_class = CaseDetailSerializer
    noun = "case"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return cases_visible_to(self.request.user)
        return case_detail(self.request.user, self.kwargs["pk"])

    def subjects_of(self, record):
        return [record.subject_id]

    @extend_schema(
        request=CaseChangeSerializer,
        responses={200: CaseDetailSerializer, 409: CONFLICT_RESPONSE},
        description="Change a case's risk level, with why. Send the `version` you read; a case "
        "changed by someone else since is 409, and nothing changes. A closed case is 400.",
    )
    def patch(self, request, *args, **kwargs):
        case = self.get_object()
        incoming = CaseChangeSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        try:
            case_services.change_risk(
                case=case, by=request.user, level=data["risk_level"],
                rationale=data["risk_rationale"].strip(), version=data["version"],
            )  # fmt: skip
        except EditConflict as conflict:
            now = self.get_queryset().get(pk=case.pk)
            raise with_current(conflict, self.get_serializer(now).data) from None
        return Response(self.get_serializer(self.get_queryset().get(pk=case.pk)).data)


class TaskList(RecordListView):
    """Open tasks on cases the caller may see, soonest due first; `mine=true` for the caller's."""

    serializer_class = TaskSerializer
    permission_classes = [IsAuthenticated, CanBrowsePeople]
    noun = "task"

    def get_queryset(self):
        tasks = open_tasks_visible_to(self.request.user)
        if not getattr(self, "swagger_fake_view", False) and self.query_params(
            TaskQuerySerializer
        ).get("mine"):
            tasks = tasks.filter(owner=self.request.user.pk)
        return tasks.select_related("case", "owner", "owner_agency").order_by("due_on", "id")

    def list_purpose(self) -> str:
        return "task list"

    def subjects_of(self, record):
        return [record.case.subject_id]

    @extend_schema(parameters=[TaskQuerySerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class NoProgramme(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "No programme is taking referrals yet."
    default_code = "no_programme"


def _referrals(user):
    return (
        referrals_visible_to(user)
        .select_related("case", "referrer_agency")
        .prefetch_related("signs")
        .order_by("-submitted_at", "-created_at", "id")
    )


def _case_subject(referral) -> list:
    case = getattr(referral, "case", None)
    return [case.subject_id] if case is not None else []


class ReferralList(RecordListView):
    """The caller's referrals (and, for triage, those sent to their agency's programmes);
    POST sends a new referral to the triage queue."""

    serializer_class = ReferralSerializer
    noun = "referral"

    def get_queryset(self):
        return _referrals(self.request.user)

    def subjects_of(self, record):
        return _case_subject(record)

    @extend_schema(
        request=ReferralInputSerializer,
        responses={201: ReferralCreatedSerializer},
        description="Send a referral to the exploitation programme, as the caller. It is saved "
        "and sent at once, and gets a REF- reference. Bad input is 400 with field errors.",
    )
    def post(self, request, *args, **kwargs):
        incoming = ReferralInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        programme = referrals.default_programme()
        if programme is None:
            raise NoProgramme
        fields = dict(incoming.validated_data)
        signs = fields.pop("signs", [])
        referral = referrals.send_referral(
            programme=programme, by=request.user, signs=signs, **fields
        )
        return Response(
            ReferralCreatedSerializer(referral).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("api:referral-detail", kwargs={"pk": referral.pk})},
        )


class ReferralDetail(RecordDetailView):
    """One referral with its status and, once triaged, the case reference or the reason."""

    serializer_class = ReferralSerializer
    noun = "referral"

    def get_queryset(self):
        return _referrals(self.request.user)

    def subjects_of(self, record):
        return _case_subject(record)
