"""The meetings' API paths, under /api/v1/meetings/ in the `api` namespace."""

from django.urls import path

from safehold.meetings.api import views

urlpatterns = [
    path("meetings/", views.MeetingList.as_view(), name="meeting-list"),
    path("meetings/<uuid:pk>/", views.MeetingDetail.as_view(), name="meeting-detail"),
    path("meetings/<uuid:pk>/agenda/", views.MeetingAgenda.as_view(), name="meeting-agenda"),
    path("my-actions/", views.MyActions.as_view(), name="meeting-my-actions"),
]
