"""Intelligence pages, under /intelligence/."""

from django.urls import path

from safehold.intelligence import views

app_name = "intelligence"
urlpatterns = [
    path("", views.intelligence_list, name="list"),
    path("submit/", views.submit, name="submit"),
    path("assess/", views.queue, name="queue"),
    path("<uuid:pk>/", views.detail, name="detail"),
    path("<uuid:pk>/start/", views.start, name="start"),
    path("<uuid:pk>/assess/", views.assess, name="assess"),
]
