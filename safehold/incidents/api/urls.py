"""The incident log API's paths, included under /api/v1/crime/incidents/ in the `api`
namespace."""

from django.urls import path

from safehold.incidents.api import views

urlpatterns = [
    path("heatmap/", views.IncidentHeatmapView.as_view(), name="crime-incidents-heatmap"),
    path("seasonal/", views.IncidentSeasonalView.as_view(), name="crime-incidents-seasonal"),
    path("hotspots/", views.IncidentHotspotsView.as_view(), name="crime-incidents-hotspots"),
]
