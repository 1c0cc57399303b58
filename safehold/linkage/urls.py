from django.urls import path

from safehold.linkage import front_door_views

app_name = "linkage"

urlpatterns = [
    path(
        "matches/<int:pk>/request-access/",
        front_door_views.request_access,
        name="request-access",
    ),
]
