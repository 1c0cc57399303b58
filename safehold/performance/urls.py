"""The performance framework, under /performance/."""

from safehold.performance import views

app_name = "performance"
urlpatterns = views.urlpatterns
