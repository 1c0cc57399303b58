"""Partner extract pages: the agency's extracts (current and superseded), the upload form, and
each upload's page (an import run on the job queue: progress, then every problem of a refused
file by row and column, or what was stored)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from safehold import audit
from safehold.audit.choices import Action
from safehold.imports import views as runs
from safehold.imports.registry import UploadPage
from safehold.partners import uploads
from safehold.partners.forms import ExtractUploadForm
from safehold.partners.rules import can_see_extracts, can_upload_extracts
from safehold.partners.selectors import extracts_visible_to

UPLOAD_PAGE = UploadPage(
    form_class=ExtractUploadForm,  # this app's own upload view makes it (with the agency)
    template="partners/extract_upload.html",
    run_template="partners/extract_upload_run.html",
    upload_url="partners:upload",
    run_url="partners:upload-run",
)


@require_http_methods(["GET"])
def extract_list(request: HttpRequest) -> HttpResponse:
    if not can_see_extracts(request.user):
        raise PermissionDenied
    extracts = list(
        extracts_visible_to(request.user).select_related(
            "uploaded_by", "agreement", "superseded_by"
        )
    )
    audit.record(
        action=Action.CONSULT,
        actor=request.user,
        object_type="partners.extract",
        object_ids=[e.pk for e in extracts] or ["none"],
        purpose="list of the agency's partner extracts",
    )
    return render(
        request,
        "partners/extract_list.html",
        {"extracts": extracts, "may_upload": can_upload_extracts(request.user)},
    )


@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """The form; a valid one keeps the file, queues its check and storage, and sends the
    browser to the upload's page."""
    if not can_upload_extracts(request.user):
        raise PermissionDenied
    agency_id = request.user.agency_id
    if request.method == "POST":
        form = ExtractUploadForm(request.POST, request.FILES, agency_id=agency_id)
        if form.is_valid():
            run = uploads.start_upload(
                data=form.cleaned_data["file"],
                file_name=form.cleaned_data["file"].name,
                kind=form.cleaned_data["kind"],
                agreement=form.cleaned_data["agreement"],
                purpose=form.cleaned_data["purpose"],
                extract_date=form.cleaned_data["extract_date"],
                by=request.user,
            )
            return redirect("partners:upload-run", pk=run.pk)
    else:
        form = ExtractUploadForm(agency_id=agency_id)
    return render(
        request,
        "partners/extract_upload.html",
        {"form": form, "max_mb": form.limit_mb()},
        status=400 if form.errors else 200,
    )


def upload_run(request: HttpRequest, pk) -> HttpResponse:
    """One upload: its progress while it runs, then its problems (paged) or what was stored."""
    return runs.run_detail(request, pk, kind=uploads.KIND)
