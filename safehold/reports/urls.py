"""Reports, under /reports/."""

from django.urls import path

from safehold.reports import views

app_name = "reports"
urlpatterns = [
    path("evaluation/", views.evaluation, name="evaluation"),
    path("evaluation/settings/", views.evaluation_settings, name="evaluation-settings"),
]
