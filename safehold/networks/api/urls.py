"""The network's API, under /api/v1/networks/ in the `api` namespace."""

from django.urls import path

from safehold.networks.api import views

urlpatterns = [
    path("", views.NetworkView.as_view(), name="network"),
    path("analysis/", views.AnalysisView.as_view(), name="network-analysis"),
    path("links/", views.LinkCreate.as_view(), name="network-links"),
    path("groups/", views.GroupList.as_view(), name="network-group-list"),
    path("groups/<uuid:pk>/", views.GroupDetail.as_view(), name="network-group-detail"),
]
