"""What every app's reports and exports are made of: a titled table of label and figure (the
rows a bar chart and its table show), the content types of the formats offered, and a PDF
printed from a self-contained HTML document. In core because the evaluation report, the board
report and the crime pages all print and chart the same way, and none may import another."""

from dataclasses import dataclass

CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


@dataclass(frozen=True)
class Table:
    """One table of a report: its key (for files), title, column heading and rows."""

    key: str
    title: str
    heading: str
    rows: list[tuple[str, object]]


def pdf_from_html(html: str) -> bytes:
    """A PDF of a self-contained HTML document; nothing is fetched while rendering."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()
