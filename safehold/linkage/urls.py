"""Linkage pages, under /linkage/. A pair's id is its row's number (Pair has no UUID), taken as
text so a malformed one is a 404 like any other unknown pair."""

from django.urls import path

from safehold.linkage import fairness_views, front_door_views, views

app_name = "linkage"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("run/", views.start, name="start"),
    path("runs/<uuid:pk>/", views.run_detail, name="run"),
    path("review/", views.queue, name="queue"),
    path("review/<str:pk>/", views.pair_detail, name="pair"),
    path("decisions/", views.decisions, name="decisions"),
    path("decisions/<uuid:pk>/reverse/", views.reverse_decision, name="reverse"),
    path("fairness/", fairness_views.fairness, name="fairness"),
    path(
        "matches/<str:pk>/request-access/",
        front_door_views.request_access,
        name="request-access",
    ),
]
