"""Public pages (no account): the signs to look for, the leaflet and the anonymous referral."""

from safehold.cases.views import public

app_name = "public"
urlpatterns = [*public.urlpatterns]
