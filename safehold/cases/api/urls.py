"""The casework API's paths, under /api/v1/ in the `api` namespace."""

from django.urls import path

from safehold.cases.api import views

urlpatterns = [
    path("cases/", views.CaseList.as_view(), name="case-list"),
    path("cases/<uuid:pk>/", views.CaseDetail.as_view(), name="case-detail"),
    path("tasks/", views.TaskList.as_view(), name="task-list"),
    path("referrals/", views.ReferralList.as_view(), name="referral-list"),
    path("referrals/<uuid:pk>/", views.ReferralDetail.as_view(), name="referral-detail"),
]
