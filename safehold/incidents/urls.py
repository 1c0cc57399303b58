"""Partners' incident logs, under /crime/incidents/. Served in the `crime` namespace with
police.uk's pages (config/urls.py joins the two), so that their names (`crime:incidents`, …)
and URLs are those the section has always had."""

from django.urls import path

from safehold.incidents import views

urlpatterns = [
    path("incidents/", views.overview, name="incidents"),
    path("incidents/peak-times/", views.heatmap_page, name="incidents-heatmap"),
    path("incidents/seasons/", views.seasonal_page, name="incidents-seasonal"),
    path("incidents/hot-spots/", views.hotspots_page, name="incidents-hotspots"),
    path("incidents/print/", views.print_view, name="incidents-print"),
    path("incidents/upload/", views.upload, name="incidents-upload"),
    path("incidents/upload/<uuid:pk>/", views.upload_run, name="incidents-upload-run"),
]
