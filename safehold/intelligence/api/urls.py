"""The intelligence API, under /api/v1/intelligence/ in the `api` namespace."""

from django.urls import path

from safehold.intelligence.api import views

urlpatterns = [
    path("", views.IntelligenceList.as_view(), name="intelligence-list"),
    path("<uuid:pk>/", views.IntelligenceDetail.as_view(), name="intelligence-detail"),
]
