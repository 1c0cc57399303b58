"""The postcode points upload (administrators): a kind of import run, on the shared pages of
safehold.imports; and what the look-up holds."""

from django.db import transaction
from django.http import HttpRequest, HttpResponse

from safehold.geography import postcodes, uploads
from safehold.geography.forms import PostcodeUploadForm
from safehold.imports import views as runs
from safehold.imports.registry import UploadPage

UPLOAD_PAGE = UploadPage(
    form_class=PostcodeUploadForm,
    template="geography/postcodes_upload.html",
    run_template="geography/postcodes_upload_run.html",
    upload_url="geography:postcodes-upload",
    run_url="geography:postcodes-upload-run",
    context=lambda request: {
        "coverage": postcodes.coverage(),
        "attribution": postcodes.ATTRIBUTION,
    },
)


# The load is one transaction of its own on the worker (in tests, inside this request).
@transaction.non_atomic_requests
def upload(request: HttpRequest) -> HttpResponse:
    return runs.upload(request, kind=uploads.KIND)


def upload_run(request: HttpRequest, pk) -> HttpResponse:
    """One upload: its progress while it runs, then its problems or what it loaded."""
    return runs.run_detail(request, pk, kind=uploads.KIND)
