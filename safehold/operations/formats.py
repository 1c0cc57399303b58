"""A results summary as CSV, XLSX and JSON, through the shared export helpers (formula-safe);
the shapes are in docs/formats/operations.md."""

import io
import json

from safehold.core.exports import csv_writer, xlsx_bytes
from safehold.operations.summary import Summary

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": XLSX_CONTENT_TYPE,
    "json": "application/json",
}


def _lines(summary: Summary) -> list[list]:
    """measure, label, value: one line per total, then one per drug, then the paragraph."""
    lines = [["measure", "label", "value"]]
    lines += [["from", "From", summary.start.isoformat()], ["to", "To", summary.end.isoformat()]]
    lines.append(["area", "Area", summary.area])
    for key, label, value in summary.rows():
        lines.append([key, label, f"{value:.2f}" if key == "cash_seized" else value])
    for drug, unit, quantity in summary.drugs:
        lines.append(["drug", f"{drug} ({unit})", f"{quantity.normalize():f}"])
    lines.append(["paragraph", "Summary", summary.paragraph()])
    return lines


def to_csv(summary: Summary) -> str:
    out = io.StringIO()
    csv_writer(out).writerows(_lines(summary))
    return out.getvalue()


def to_xlsx(summary: Summary) -> bytes:
    return xlsx_bytes("Operations summary", _lines(summary))


def to_json(summary: Summary) -> str:
    return json.dumps(summary.as_dict() | {"paragraph": summary.paragraph()}, indent=2)


def file_name(summary: Summary, fmt: str) -> str:
    return f"operations-summary-{summary.start:%Y%m%d}-{summary.end:%Y%m%d}.{fmt}"
