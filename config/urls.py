"""The URL map: each app mounts its own urls.py under a namespace."""

from django.urls import include, path

urlpatterns = [
    path("", include("safehold.core.urls")),
    path("account/", include("safehold.accounts.urls")),
    path("audit/", include("safehold.audit.urls")),
    path("people/", include("safehold.people.urls")),
    path("cases/", include("safehold.cases.urls")),
    path("governance/", include("safehold.governance.urls")),
    path("reports/", include("safehold.reports.urls")),
    path("performance/", include("safehold.performance.urls")),
    path("crime/", include("safehold.crime.urls")),
    path("sharing/", include("safehold.sharing.urls")),
    path("monitoring/", include("safehold.monitoring.urls")),
    path("api/v1/", include("config.api_urls")),
    path("", include("safehold.cases.public_urls")),
]

handler404 = "safehold.core.views.not_found"
handler403 = "safehold.core.views.forbidden"
handler500 = "safehold.core.views.server_error"
