"""Importing historic cases from CSV, following an import's progress, and exporting cases.

The upload is kept and imported in a background thread once the upload request commits
(SAFEHOLD_IMPORT_IN_BACKGROUND; at once in tests), in one transaction of its own; the run's page
shows the live row count until the run is done (safehold.cases.views.runs).
"""

import io

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import path

from safehold.accounts import rules as account_rules
from safehold.cases.models import Programme
from safehold.cases.selectors import cases_visible_to
from safehold.cases.services import imports
from safehold.cases.views.runs import run_page
from safehold.core import dates
from safehold.core.visibility import get_visible_or_404

MAX_UPLOAD_MB = 50


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a CSV file",
        help_text="One row per case, with the column names in the first row. "
        "In Excel, use Save As and choose “CSV UTF-8 (Comma delimited)”.",
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={
            "required": "Select a CSV file",
            "empty": "The selected file is empty",
            "invalid": "Select a CSV file",
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise ValidationError("The selected file must be a CSV")
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise ValidationError(f"The selected file must be smaller than {MAX_UPLOAD_MB}MB")
        return upload


def _programme_for_import(user) -> Programme:
    """Imports go into a programme the user's agency leads, by those who may edit records."""
    if not account_rules.can_edit_people(user):
        raise PermissionDenied
    programme = (
        Programme.objects.select_related("lead_agency", "asb_team")
        .filter(lead_agency=user.agency_id)
        .order_by("created_at")
        .first()
    )
    if programme is None:
        raise PermissionDenied
    return programme


def upload(request: HttpRequest) -> HttpResponse:
    programme = _programme_for_import(request.user)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        run = imports.start_upload(
            data=upload.read(), file_name=upload.name, programme=programme, by=request.user
        )
        return redirect("cases:import-run", pk=run.pk)
    runs = (
        imports.import_runs_visible_to(request.user)
        .select_related("uploaded_by")
        .order_by("-created_at")[:10]
    )
    return render(
        request,
        "cases/import_upload.html",
        {
            "form": form,
            "programme": programme,
            "runs": runs,
            "columns": imports.COLUMNS,
            "max_mb": MAX_UPLOAD_MB,
        },
    )


def run_detail(request: HttpRequest, pk) -> HttpResponse:
    run = get_visible_or_404(
        imports.import_runs_visible_to(request.user).select_related("uploaded_by"), pk=pk
    )
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return run_page(request, run, "cases/import_run.html", {})


def export_csv(request: HttpRequest) -> HttpResponse:
    """Every case the user may see, in the import format; the export is audited."""
    if not account_rules.can_browse_people(request.user):
        raise PermissionDenied
    buffer = io.StringIO()
    buffer.write("\ufeff")  # a byte order mark, so that Excel reads the file as UTF-8
    imports.export_cases(
        cases=cases_visible_to(request.user), out=buffer, by=request.user, purpose="case export"
    )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"safehold-all-cases-{dates.today().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


urlpatterns = [
    path("import/", upload, name="import"),
    path("import/<uuid:pk>/", run_detail, name="import-run"),
    path("export.csv", export_csv, name="export-csv"),
]
