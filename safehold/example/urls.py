"""Visit pages, under /example/ (mounted only by config.settings.example)."""

from django.urls import path

from safehold.example import views

app_name = "example"
urlpatterns = [
    path("", views.visit_list, name="list"),
    path("<uuid:pk>/", views.visit_detail, name="detail"),
    path("cases/<uuid:pk>/add/", views.visit_create, name="create"),
]
