from django.urls import path

from safehold.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("add/", views.person_create, name="create"),
    path("<uuid:pk>/", views.person_detail, name="detail"),
    path("<uuid:pk>/change/", views.person_edit, name="edit"),
    path("places/", views.location_list, name="location-list"),
    path("places/add/", views.location_create, name="location-create"),
    path("places/<uuid:pk>/", views.location_detail, name="location-detail"),
    path("places/<uuid:pk>/change/", views.location_edit, name="location-edit"),
]
