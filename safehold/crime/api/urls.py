"""The crime API's paths, included under /api/v1/crime/ in the `api` namespace."""

from django.urls import path

from safehold.crime.api import views

urlpatterns = [
    path("summary/", views.CrimeSummaryView.as_view(), name="crime-summary"),
    path("trend/", views.CrimeTrendView.as_view(), name="crime-trend"),
    path("compare/", views.CrimeCompareView.as_view(), name="crime-compare"),
    path("top/", views.CrimeTopView.as_view(), name="crime-top"),
    path("seasonal/", views.CrimeSeasonalView.as_view(), name="crime-seasonal"),
    path("repeats/", views.CrimeRepeatsView.as_view(), name="crime-repeats"),
    path("hotspots/", views.CrimeHotspotsView.as_view(), name="crime-hotspots"),
]
