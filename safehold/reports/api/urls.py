"""The reports API's paths, under /api/v1/ in the `api` namespace."""

from django.urls import path

from safehold.reports.api import views

urlpatterns = [
    path("reports/evaluation/", views.EvaluationReportView.as_view(), name="report-evaluation"),
]
