"""The example module's API paths, under /api/v1/example/ in the `api` namespace."""

from django.urls import path

from safehold.example.api import views

urlpatterns = [
    path("visits/", views.VisitList.as_view(), name="visit-list"),
    path("visits/<uuid:pk>/", views.VisitDetail.as_view(), name="visit-detail"),
]
