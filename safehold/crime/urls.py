"""Crime and ASB analytics, under /crime/: the police.uk dashboard, one page per police.uk
analysis and each ward's locality report (safehold/crime/views/police*.py, ward_report.py),
and partners' incident logs (safehold/crime/views/incidents.py)."""

from django.urls import path

from safehold.crime.views import incidents, police, police_analyses, police_upload, ward_report

app_name = "crime"
urlpatterns = [
    path("", police.dashboard, name="dashboard"),
    path("print/", police.print_view, name="dashboard-print"),
    path("analyses/counts/", police_analyses.summary_page, name="police-summary"),
    path("analyses/trend/", police_analyses.trend_page, name="police-trend"),
    path("analyses/comparison/", police_analyses.compare_page, name="police-compare"),
    path("analyses/top-areas/", police_analyses.top_page, name="police-top"),
    path("analyses/seasonal/", police_analyses.seasonal_page, name="police-seasonal"),
    path("analyses/repeat-locations/", police_analyses.repeats_page, name="police-repeats"),
    path("analyses/hot-spots/", police_analyses.hotspots_page, name="police-hotspots"),
    path("wards/<str:code>/report/", ward_report.report, name="ward-report"),
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
