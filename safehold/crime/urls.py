"""Police.uk crime, under /crime/: the dashboard, one page per analysis, each ward's locality
report and the upload (safehold/crime/views/). Partners' incident logs share the `crime`
namespace (safehold/incidents/urls.py; config/urls.py joins them)."""

from django.urls import path

from safehold.crime.views import before_after, police, police_analyses, police_upload, ward_report

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
    path("before-after/", before_after.before_after_page, name="before-after"),
    path("wards/<str:code>/report/", ward_report.report, name="ward-report"),
    path("police/", police_upload.data, name="police-data"),
    path("police/upload/", police_upload.upload, name="police-upload"),
    path("police/upload/<uuid:pk>/", police_upload.upload_run, name="police-upload-run"),
]
