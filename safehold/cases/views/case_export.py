"""The case list as CSV or XLSX: the filtered list, as the list page shows it, audited (the
export itself is safehold.cases.exports)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse

from safehold.accounts import rules as account_rules
from safehold.cases import exports
from safehold.cases.views.case_list import search_purpose, sorted_cases


def case_export(request: HttpRequest) -> HttpResponse:
    """The filtered case list as CSV or XLSX (?format=xlsx); the export is audited."""
    if not account_rules.can_browse_people(request.user):
        raise PermissionDenied
    cases, _ = sorted_cases(request)
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    export = exports.audited(
        cases=cases,
        layout=exports.CASE_LIST,
        by=request.user,
        purpose=search_purpose(request, f"case list export ({fmt})", joined_by=": "),
    )
    if fmt == "xlsx":
        response = HttpResponse(content_type=exports.XLSX_CONTENT_TYPE)
        exports.write_xlsx(export, response)
    else:
        response = StreamingHttpResponse(
            exports.csv_lines(export), content_type="text/csv; charset=utf-8"
        )
    name = exports.file_name(exports.CASE_LIST, fmt)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
