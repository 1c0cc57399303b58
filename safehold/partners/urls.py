"""Partner data extracts, under /partners/."""

from django.urls import path

from safehold.partners import views

app_name = "partners"
urlpatterns = [
    path("extracts/", views.extract_list, name="extracts"),
    path("extracts/upload/", views.upload, name="upload"),
    path("extracts/upload/<uuid:pk>/", views.upload_run, name="upload-run"),
]
