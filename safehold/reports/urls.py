"""Reports, under /reports/."""

from safehold.reports import views

app_name = "reports"
urlpatterns = views.urlpatterns
