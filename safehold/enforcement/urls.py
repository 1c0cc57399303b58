from django.urls import path

from safehold.enforcement import views

app_name = "enforcement"
urlpatterns = [
    path("<uuid:pk>/bundle/", views.bundle, name="bundle"),
]
