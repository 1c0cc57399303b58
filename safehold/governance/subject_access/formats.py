"""The subject access export's files: the JSON (the data as it is), the A4 PDF report (rendered
from the same data, so the two always match) and the zip that holds them with copies of the
documents held against the cases (`documents/`)."""

import io
import json
import zipfile

from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string

from safehold.cases.models import Case
from safehold.governance.subject_access.records import document_path, person_labels

# Every top-level key of the export, in the order the PDF shows them, with its heading.
SECTIONS = {
    "about": "About this export",
    "person": "Personal details",
    "other_names": "Other names",
    "vulnerabilities": "Vulnerabilities",
    "locations": "Addresses",
    "cases": "Cases",
    "referrals": "Referrals",
    "disclosures": "Who their records were shared with",
    "held_elsewhere": "Records about them held by other organisations",
    "sources": "Where the information came from",
    "retention": "How long it is kept",
    "documents": "Documents",
    "withheld": "Information left out of this export",
}


def to_json(data: dict) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


def report_html(data: dict) -> str:
    rows = [(person_labels().get(k, k), v) for k, v in data["person"].items()]
    return render_to_string(
        "governance/subject_access_report.html",
        {"data": data, "sections": SECTIONS, "person_rows": rows},
    )


def to_pdf(data: dict) -> bytes:
    """The A4 report, rendered offline: no URL of any scheme is fetched."""
    from weasyprint import HTML  # imported here: Pango loads only when a report is made
    from weasyprint.urls import URLFetcher

    return HTML(string=report_html(data), url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()


def build_zip(data: dict, cases: list[Case]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("subject-access.json", to_json(data))
        archive.writestr("subject-access.pdf", to_pdf(data))
        for case in cases:
            for action in case.enforcement.all():
                for document in action.documents.all():
                    try:
                        with document.file.open("rb") as f:
                            archive.writestr(document_path(case, document), f.read())
                    except (FileNotFoundError, ValueError):
                        archive.writestr(
                            document_path(case, document) + ".missing.txt",
                            "This document's file could not be found on the server.\n",
                        )
    return buffer.getvalue()
