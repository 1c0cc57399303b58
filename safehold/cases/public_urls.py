"""Public pages (no account): the signs to look for, the leaflet and the anonymous referral."""

from django.urls import path

from safehold.cases.views import public

app_name = "public"
urlpatterns = [
    path("signs-of-cuckooing/", public.signs, name="signs"),
    path("signs-of-cuckooing/leaflet.pdf", public.leaflet, name="leaflet"),
    path("report-a-concern/", public.report, name="report"),
    path("report-a-concern/sent/", public.report_sent, name="report-sent"),
]
