"""What every app's reports and exports are made of: a titled table of label and figure (the
rows a bar chart and its table show), the content types of the formats offered, and a PDF
printed from a self-contained HTML document. In core because the evaluation report, the board
report and the crime pages all print and chart the same way, and none may import another."""

import gc
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
    """A PDF of a self-contained HTML document; nothing is fetched while rendering.

    Python's cyclic garbage collector is paused while WeasyPrint lays the document out: it
    makes hundreds of thousands of objects, and each collection it triggers walks every object
    of the process too (a Django process holds 250,000 or more), about a tenth of a report's
    time. The collector runs again afterwards and frees what the render left."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    paused = gc.isenabled()
    gc.disable()
    try:
        return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()
    finally:
        if paused:
            gc.enable()
