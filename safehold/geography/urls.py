from django.urls import path

from safehold.geography import views

app_name = "geography"
urlpatterns = [
    path("postcodes/", views.upload, name="postcodes-upload"),
    path("postcodes/<uuid:pk>/", views.upload_run, name="postcodes-upload-run"),
]
