"""The network's pages, under /networks/."""

from django.urls import path

from safehold.networks import gap_views, network_views, views

app_name = "networks"
urlpatterns = [
    path("", views.ocg_list, name="ocg-list"),
    path("groups/new/", views.ocg_create, name="ocg-create"),
    path("groups/<uuid:pk>/", views.ocg_detail, name="ocg-detail"),
    path("groups/<uuid:pk>/change/", views.ocg_edit, name="ocg-edit"),
    path("groups/<uuid:pk>/members/", views.ocg_members, name="ocg-members"),
    path("groups/<uuid:pk>/premises/", views.ocg_premises, name="ocg-premises"),
    path("groups/<uuid:pk>/threat/", views.ocg_threat, name="ocg-threat"),
    path("groups/<uuid:pk>/actions/", views.ocg_actions, name="ocg-actions"),
    path("events/new/", views.event_create, name="event-create"),
    path("objects/new/", views.object_create, name="object-create"),
    path("objects/<uuid:pk>/", views.object_detail, name="object-detail"),
    path("links/new/", views.link_create, name="link-create"),
    path("from-intelligence/<uuid:pk>/", views.from_intelligence, name="from-intelligence"),
    path("chart/", network_views.chart_page, name="chart"),
    path("analysis/", network_views.analysis_page, name="analysis"),
    path("path/", network_views.path_page, name="path"),
    path("gaps/", gap_views.gaps_page, name="gaps"),
]
