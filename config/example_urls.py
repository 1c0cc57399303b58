"""The URL map with the example module mounted (config.settings.example only)."""

from django.urls import include, path

from config.urls import handler403, handler404, handler500
from config.urls import urlpatterns as product

urlpatterns = [path("example/", include("safehold.example.urls")), *product]
__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
