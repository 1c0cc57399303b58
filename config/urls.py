"""The URL map: each app mounts its own urls.py under a namespace."""

from django.urls import include, path

from safehold.crime import urls as crime_urls
from safehold.incidents import urls as incident_urls

# The "Crime and ASB" section: police.uk crime and partners' incident logs, two apps in one
# namespace so that the section's URL names and URLs stay as they were (ADR 0031).
crime_section = ([*crime_urls.urlpatterns, *incident_urls.urlpatterns], crime_urls.app_name)

urlpatterns = [
    path("", include("safehold.core.urls")),
    path("account/", include("safehold.accounts.urls")),
    path("account/api-tokens/", include("safehold.api.page_urls")),
    path("audit/", include("safehold.audit.urls")),
    path("people/", include("safehold.people.urls")),
    path("geography/", include("safehold.geography.urls")),
    path("cases/", include("safehold.cases.urls")),
    path("governance/", include("safehold.governance.urls")),
    path("reports/", include("safehold.reports.urls")),
    path("performance/", include("safehold.performance.urls")),
    path("crime/", include(crime_section)),
    path("sharing/", include("safehold.sharing.urls")),
    path("monitoring/", include("safehold.monitoring.urls")),
    path("meetings/", include("safehold.meetings.urls")),
    path("notifications/", include("safehold.notifications.urls")),
    path("search/", include("safehold.search.urls")),
    path("enforcement/", include("safehold.enforcement.urls")),
    path("reassurance/", include("safehold.reassurance.urls")),
    path("operations/", include("safehold.operations.urls")),
    path("intelligence/", include("safehold.intelligence.urls")),
    path("partners/", include("safehold.partners.urls")),
    path("linkage/", include("safehold.linkage.urls")),
    path("networks/", include("safehold.networks.urls")),
    path("risk/", include("safehold.risk.urls")),
    path("api/v1/", include("config.api_urls")),
    path("", include("safehold.cases.public_urls")),
]

handler404 = "safehold.core.views.not_found"
handler403 = "safehold.core.views.forbidden"
handler500 = "safehold.core.views.server_error"
