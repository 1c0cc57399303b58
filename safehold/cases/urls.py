"""Casework pages, under /cases/. Each views module lists its own urlpatterns."""

from safehold.cases.views import cases, imports, referrals, tasks, triage

app_name = "cases"
urlpatterns = [
    *cases.urlpatterns,
    *triage.urlpatterns,
    *tasks.urlpatterns,
    *referrals.urlpatterns,
    *imports.urlpatterns,
]
