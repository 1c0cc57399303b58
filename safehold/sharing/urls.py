"""Information sharing pages, under /sharing/."""

from safehold.sharing.views import agreements, disclosures, requests, who_else

app_name = "sharing"
urlpatterns = [
    *agreements.urlpatterns,
    *disclosures.urlpatterns,
    *who_else.urlpatterns,
    *requests.urlpatterns,
]
