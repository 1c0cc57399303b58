"""Casework pages, under /cases/. Each views module lists its own urlpatterns."""

from safehold.cases.views import (
    case_actions,
    case_detail,
    case_enforcement,
    case_export,
    case_list,
    imports,
    referrals,
    tasks,
    triage,
)

app_name = "cases"
urlpatterns = [
    *case_list.urlpatterns,
    *case_export.urlpatterns,
    *case_detail.urlpatterns,
    *case_actions.urlpatterns,
    *case_enforcement.urlpatterns,
    *triage.urlpatterns,
    *tasks.urlpatterns,
    *referrals.urlpatterns,
    *imports.urlpatterns,
]
