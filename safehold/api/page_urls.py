"""The pages where administrators manage API tokens (the API itself is config/api_urls.py)."""

from django.urls import path

from safehold.api import pages

app_name = "tokens"
urlpatterns = [
    path("", pages.token_list, name="list"),
    path("new/", pages.token_create, name="create"),
    path("<uuid:pk>/revoke/", pages.token_revoke, name="revoke"),
]
