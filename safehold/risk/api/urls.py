"""The top indicators list's API, under /api/v1/risk/ in the `api` namespace."""

from django.urls import path

from safehold.risk.api import views

urlpatterns = [
    path("list/", views.ListView.as_view(), name="risk-list"),
]
