from django.urls import path

from safehold.upkeep import views

app_name = "upkeep"
urlpatterns = [
    path("health/", views.health, name="health"),
]
