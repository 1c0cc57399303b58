"""The partner API, mounted at /api/v1/: each app's api/ views, and the OpenAPI schema.

The schema is served only to authenticated callers (a token or a signed-in session): it names
no personal data, but it is a map of the system, so it is not public.
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from safehold.cases.api import views as cases
from safehold.crime.api import urls as crime_urls
from safehold.incidents.api import urls as incident_urls
from safehold.people.api import views as people
from safehold.performance.api import views as performance
from safehold.reports.api import views as reports

app_name = "api"
urlpatterns = [
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    path("people/", people.PersonList.as_view(), name="person-list"),
    path("people/<uuid:pk>/", people.PersonDetail.as_view(), name="person-detail"),
    path("cases/", cases.CaseList.as_view(), name="case-list"),
    path("cases/<uuid:pk>/", cases.CaseDetail.as_view(), name="case-detail"),
    path("tasks/", cases.TaskList.as_view(), name="task-list"),
    path("referrals/", cases.ReferralList.as_view(), name="referral-list"),
    path("referrals/<uuid:pk>/", cases.ReferralDetail.as_view(), name="referral-detail"),
    path(
        "reports/evaluation/",
        reports.EvaluationReportView.as_view(),
        name="report-evaluation",
    ),
    path("crime/incidents/", include(incident_urls.urlpatterns)),
    path("kpi/report/", performance.BoardReportView.as_view(), name="kpi-report"),
    path("crime/", include(crime_urls.urlpatterns)),
]
