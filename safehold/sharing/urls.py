"""Information sharing pages, under /sharing/."""

from django.urls import path

from safehold.sharing.views import agreements, disclosures, requests, who_else

app_name = "sharing"
urlpatterns = [
    path("agreements/", agreements.agreement_list, name="agreements"),
    path("agreements/add/", agreements.agreement_create, name="agreement-create"),
    path("agreements/<uuid:pk>/", agreements.agreement_detail, name="agreement"),
    path(
        "agreements/<uuid:pk>/signatories/add/",
        agreements.add_signatory,
        name="agreement-signatory",
    ),
    path("agreements/<uuid:pk>/dates/", agreements.change_dates, name="agreement-dates"),
    path("agreements/<uuid:pk>/document/", agreements.download_document, name="agreement-document"),
    path(
        "agreements/<uuid:pk>/document/upload/", agreements.upload_document, name="agreement-upload"
    ),
    path("record-of-processing/", agreements.record_of_processing, name="record-of-processing"),
    path(
        "record-of-processing.pdf",
        agreements.record_of_processing_pdf,
        name="record-of-processing-pdf",
    ),
    path("cases/<uuid:pk>/share/", disclosures.share_case, name="share-case"),
    path("people/<uuid:pk>/share/", disclosures.share_person, name="share-person"),
    path("disclosures/<uuid:pk>/stop/", disclosures.revoke, name="revoke"),
    path("who-else/", who_else.who_else, name="who-else"),
    path("who-else/cases/<uuid:pk>/request/", who_else.request_case, name="request-case"),
    path("who-else/people/<uuid:pk>/request/", who_else.request_person, name="request-person"),
    path("requests/", requests.inbox, name="requests"),
    path("requests/sent/", requests.sent, name="requests-sent"),
    path("requests/<uuid:pk>/approve/", requests.approve, name="request-approve"),
    path("requests/<uuid:pk>/decline/", requests.decline, name="request-decline"),
]
