"""Placeholder: filled in by this module's author."""

urlpatterns: list = []
