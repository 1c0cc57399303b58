"""Operation pages, under /operations/."""

from django.urls import path

from safehold.operations.views import operation, plan, record, summary

app_name = "operations"
urlpatterns = [
    path("", plan.operation_list, name="list"),
    path("plan/", plan.operation_create, name="create"),
    path("summary/", summary.summary_page, name="summary"),
    path("<uuid:pk>/", operation.operation_detail, name="detail"),
    path("<uuid:pk>/change/", plan.operation_edit, name="edit"),
    path("<uuid:pk>/targets/", operation.operation_targets, name="targets"),
    path("<uuid:pk>/results/", record.record_results, name="results"),
    path("<uuid:pk>/referral/", record.raise_referral, name="referral"),
    path("<uuid:pk>/closure-notice/", record.serve_closure_notice, name="closure-notice"),
]
