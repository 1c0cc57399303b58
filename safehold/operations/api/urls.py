"""The operations API, under /api/v1/operations/ in the `api` namespace."""

from django.urls import path

from safehold.operations.api import views

urlpatterns = [
    path("", views.OperationList.as_view(), name="operation-list"),
    path("summary/", views.OperationSummary.as_view(), name="operation-summary"),
    path("<uuid:pk>/", views.OperationDetail.as_view(), name="operation-detail"),
]
