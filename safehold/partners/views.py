"""Partner extract pages: the agency's extracts (current and superseded) and the upload form,
checked at once and stored all or nothing, with every problem of a refused file listed."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from safehold import audit
from safehold.audit.choices import Action
from safehold.partners.forms import ExtractUploadForm
from safehold.partners.rules import can_see_extracts, can_upload_extracts
from safehold.partners.selectors import extracts_visible_to
from safehold.partners.services import ExtractRefused, ImportInvalid, upload_extract

PROBLEMS_SHOWN = 200


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
    if not can_upload_extracts(request.user):
        raise PermissionDenied
    agency_id = request.user.agency_id
    if request.method == "POST":
        form = ExtractUploadForm(request.POST, request.FILES, agency_id=agency_id)
    else:
        form = ExtractUploadForm(agency_id=agency_id)
    problems = []
    if form.is_bound and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            result = upload_extract(
                agency=request.user.agency,
                kind=form.cleaned_data["kind"],
                agreement=form.cleaned_data["agreement"],
                purpose=form.cleaned_data["purpose"],
                data=file.read(),
                file_name=file.name,
                by=request.user,
                extract_date=form.cleaned_data["extract_date"],
            )
        except ImportInvalid as exc:
            problems = exc.errors
        except ExtractRefused as exc:
            form.add_error("agreement", str(exc))
        else:
            extract = result.extract
            if result.created:
                messages.success(
                    request,
                    f"{file.name} is stored: {extract.row_count:,} {extract.get_kind_display().lower()} "
                    f"rows, extract of {extract.extract_date:%-d %B %Y}",
                )
            else:
                messages.success(request, f"Nothing changed: {file.name} was already stored")
            return redirect("partners:extracts")
    status = 400 if form.errors or problems else 200
    return render(
        request,
        "partners/extract_upload.html",
        {
            "form": form,
            "problems": problems[:PROBLEMS_SHOWN],
            "more_problems": max(0, len(problems) - PROBLEMS_SHOWN),
        },
        status=status,
    )
