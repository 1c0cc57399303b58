"""Importing historic cases from CSV, following an import's progress, and exporting cases.

The upload is an import run of the kind "cases" (safehold.imports): the file is kept, queued
and imported by a worker in one transaction of its own (at once in tests); the run's page shows
the live row count until the run is done. The pages are the shared ones, with this page's
templates and the programme the cases go into.
"""

import io

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path

from safehold.accounts import rules as account_rules
from safehold.cases import exports, imports
from safehold.cases.models import Programme
from safehold.cases.selectors import cases_visible_to
from safehold.imports import views as runs
from safehold.imports.forms import UploadForm as BaseUploadForm
from safehold.imports.registry import UploadPage

MAX_UPLOAD_MB = 50


class UploadForm(BaseUploadForm):
    max_mb = MAX_UPLOAD_MB
    help_text = (
        "One row per case, with the column names in the first row. "
        "In Excel, use Save As and choose “CSV UTF-8 (Comma delimited)”."
    )


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


PAGE = UploadPage(
    form_class=UploadForm,
    template="cases/import_upload.html",
    run_template="cases/import_run.html",
    upload_url="cases:import",
    run_url="cases:import-run",
    context=lambda request: {
        "programme": _programme_for_import(request.user),
        "columns": imports.COLUMNS,
    },
    params=lambda form, context: {"programme": str(context["programme"].pk)},
    form_error_status=200,
)


def upload(request: HttpRequest) -> HttpResponse:
    return runs.upload(request, kind=imports.KIND)


def run_detail(request: HttpRequest, pk) -> HttpResponse:
    return runs.run_detail(request, pk, kind=imports.KIND)


def export_csv(request: HttpRequest) -> HttpResponse:
    """Every case the user may see, in the import format; the export is audited."""
    if not account_rules.can_browse_people(request.user):
        raise PermissionDenied
    buffer = io.StringIO()
    buffer.write("\ufeff")  # a byte order mark, so that Excel reads the file as UTF-8
    exports.export_cases(
        cases=cases_visible_to(request.user), out=buffer, by=request.user, purpose="case export"
    )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    name = exports.file_name(exports.ROUND_TRIP, "csv")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


urlpatterns = [
    path("import/", upload, name="import"),
    path("import/<uuid:pk>/", run_detail, name="import-run"),
    path("export.csv", export_csv, name="export-csv"),
]
