from django.urls import path

from safehold.linkage import fairness_views, front_door_views

app_name = "linkage"

urlpatterns = [
    path("fairness/", fairness_views.fairness, name="fairness"),
    path(
        "matches/<str:pk>/request-access/",
        front_door_views.request_access,
        name="request-access",
    ),
]
