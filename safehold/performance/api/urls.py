"""The performance framework's API paths, under /api/v1/ in the `api` namespace."""

from django.urls import path

from safehold.performance.api import views

urlpatterns = [
    path("kpi/report/", views.BoardReportView.as_view(), name="kpi-report"),
]
