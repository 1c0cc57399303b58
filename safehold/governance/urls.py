"""Information governance pages, under /governance/. Each views module lists its own urlpatterns."""

from safehold.governance.views import holds, retention, subject_access

app_name = "governance"
urlpatterns = [*subject_access.urlpatterns, *holds.urlpatterns, *retention.urlpatterns]
