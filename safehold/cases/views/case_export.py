"""The case list as CSV or XLSX: the filtered list, as the list page shows it, audited."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse

from safehold import audit
from safehold.accounts import rules as account_rules
from safehold.audit.choices import Action, Channel
from safehold.cases.views.case_list import search_purpose, sorted_cases
from safehold.core import dates
from safehold.core.exports import append_row, streaming_csv_writer

EXPORT_COLUMNS = [
    "reference", "referral_date", "status", "closed_on", "closure_reason", "exploitation_type",
    "risk_level", "area", "subject", "postcode", "lead_officer", "overdue_tasks",
]  # fmt: skip


def _export_rows(cases):
    for c in cases.iterator(chunk_size=2000) if hasattr(cases, "iterator") else cases:
        yield [
            c.reference, c.referral_date.isoformat(), c.status, c.closed_on.isoformat() if c.closed_on else "",
            c.closure_reason, c.exploitation_type, c.risk_level, c.area.name if c.area else "",
            c.subject.full_name, c.location.postcode if c.location else "",
            c.lead_officer.full_name if c.lead_officer else "", "yes" if c.has_overdue else "no",
        ]  # fmt: skip


def case_export(request: HttpRequest) -> HttpResponse:
    """The filtered case list as CSV or XLSX (?format=xlsx); the export is audited."""
    if not account_rules.can_browse_people(request.user):
        raise PermissionDenied
    cases, _ = sorted_cases(request)
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    ids = list(cases.values_list("pk", "subject_id"))
    audit.record(
        action=Action.CONSULT,
        actor=request.user,
        object_type="cases.case",
        object_ids=[pk for pk, _ in ids],
        subjects=[s for _, s in ids],
        purpose=search_purpose(request, f"case list export ({fmt})", joined_by=": "),
        channel=Channel.EXPORT,
    )
    stamp = dates.today().isoformat()
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Cases")
        append_row(sheet, EXPORT_COLUMNS)
        for row in _export_rows(cases):
            append_row(sheet, row)
        response = HttpResponse(
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        workbook.save(response)
        response["Content-Disposition"] = f'attachment; filename="safehold-cases-{stamp}.xlsx"'
        return response

    writer = streaming_csv_writer()

    def rows():
        yield writer.writerow(EXPORT_COLUMNS)
        for row in _export_rows(cases):
            yield writer.writerow(row)

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="safehold-cases-{stamp}.csv"'
    return response
