"""Meeting pages, under /meetings/."""

from django.urls import path

from safehold.meetings.views import changes, pages

app_name = "meetings"
urlpatterns = [
    path("", pages.series_list, name="list"),
    path("my-actions/", pages.my_actions, name="my-actions"),
    path("series/<uuid:pk>/schedule/", changes.meeting_create, name="meeting-create"),
    path("<uuid:pk>/", pages.meeting_detail, name="meeting"),
    path("<uuid:pk>/agenda/", pages.agenda, name="agenda"),
    path("<uuid:pk>/minutes/", pages.minutes, name="minutes"),
    path("<uuid:pk>/actions/", pages.actions, name="actions"),
    path("<uuid:pk>/pack.pdf", pages.meeting_pack, name="pack"),
    path("<uuid:pk>/flag/", changes.flag_by_reference, name="flag"),
    path("<uuid:pk>/items/add/", changes.item_add, name="item-add"),
    path("<uuid:pk>/minutes/edit/", changes.minute_edit, name="minute-edit"),
    path("<uuid:pk>/actions/add/", changes.action_add, name="action-add"),
    path("<uuid:pk>/close/", changes.close, name="close"),
    path("actions/<uuid:pk>/done/", changes.action_done, name="action-done"),
    path("cases/<uuid:pk>/flag/", changes.flag_case, name="flag-case"),
]
