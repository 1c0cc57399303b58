"""Information governance pages, under /governance/."""

from django.urls import path

from safehold.governance.views import holds, retention, subject_access

app_name = "governance"
urlpatterns = [
    path("", subject_access.index, name="index"),
    path("subject-access/", subject_access.sar_list, name="sar-list"),
    path("subject-access/<uuid:pk>/", subject_access.sar_detail, name="sar-detail"),
    path("subject-access/<uuid:pk>/download/", subject_access.sar_download, name="sar-download"),
    path("people/<uuid:pk>/subject-access/", subject_access.subject_access, name="subject-access"),
    path("people/<uuid:pk>/hold/", holds.hold_person, name="hold-person"),
    path("cases/<uuid:pk>/hold/", holds.hold_case, name="hold-case"),
    path("holds/", holds.holds, name="holds"),
    path("holds/<uuid:pk>/lift/", holds.lift_hold, name="hold-lift"),
    path("retention/", retention.retention_queue, name="retention"),
    path("retention/policies/", retention.policies, name="policies"),
    path("retention/cases/<uuid:pk>/retain/", retention.retain_case, name="retain-case"),
    path(
        "retention/referrals/<uuid:pk>/retain/", retention.retain_referral, name="retain-referral"
    ),
    path("retention/people/<uuid:pk>/retain/", retention.retain_person, name="retain-person"),
    path("retention/cases/<uuid:pk>/erase/", retention.erase_case, name="erase-case"),
    path("retention/referrals/<uuid:pk>/erase/", retention.erase_referral, name="erase-referral"),
    path("retention/people/<uuid:pk>/erase/", retention.erase_person, name="erase-person"),
    path("erasures/", retention.erasures, name="erasures"),
]
