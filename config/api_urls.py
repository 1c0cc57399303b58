"""The partner API, mounted at /api/v1/: the OpenAPI schema, and each app's API paths as the
app registered them in its `AppConfig.ready()` (`core.registry.register_api_routes`).

The schema is served only to authenticated callers (a token or a signed-in session): it names
no personal data, but it is a map of the system, so it is not public.
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from safehold.core.registry import api_routes

app_name = "api"
urlpatterns = [
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    *(path(prefix, include(urlconf)) for prefix, urlconf in api_routes()),
]
