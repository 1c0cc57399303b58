"""Crime and ASB analytics, under /crime/: partner incident logs now (the police.uk dashboard
adds its own module of views beside safehold/crime/views/incidents.py)."""

from django.urls import path

from safehold.crime.views import incidents, police_upload

app_name = "crime"
urlpatterns = [
    path("incidents/", incidents.overview, name="incidents"),
    path("incidents/peak-times/", incidents.heatmap_page, name="incidents-heatmap"),
    path("incidents/seasons/", incidents.seasonal_page, name="incidents-seasonal"),
    path("incidents/hot-spots/", incidents.hotspots_page, name="incidents-hotspots"),
    path("incidents/print/", incidents.print_view, name="incidents-print"),
    path("incidents/upload/", incidents.upload, name="incidents-upload"),
    path("incidents/upload/<uuid:pk>/", incidents.upload_run, name="incidents-upload-run"),
    path("police/", police_upload.data, name="police-data"),
    path("police/upload/", police_upload.upload, name="police-upload"),
    path("police/upload/<uuid:pk>/", police_upload.upload_run, name="police-upload-run"),
]
