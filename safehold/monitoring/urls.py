from django.urls import path

from safehold.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("cases/<uuid:pk>/views/", views.case_views, name="case-views"),
    path("people/<uuid:pk>/views/", views.person_views, name="person-views"),
    path("alerts/", views.alert_list, name="alert-list"),
    path("alerts/<uuid:pk>/", views.alert_detail, name="alert-detail"),
]
