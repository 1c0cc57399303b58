"""The people API's paths, under /api/v1/ in the `api` namespace."""

from django.urls import path

from safehold.people.api import views

urlpatterns = [
    path("people/", views.PersonList.as_view(), name="person-list"),
    path("people/<uuid:pk>/", views.PersonDetail.as_view(), name="person-detail"),
]
