"""A user's notifications, under /notifications/."""

from django.urls import path

from safehold.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("preferences/", views.preferences, name="preferences"),
]
