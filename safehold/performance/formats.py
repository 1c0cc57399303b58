"""The board report as JSON, CSV, XLSX, a standalone HTML document (the printable view) and a
PDF printed from it. Every format is made from one BoardReport (report.py), so they agree; the
shapes are docs/formats/kpi-report.md.
"""

import io
import json

from django.conf import settings
from django.template.loader import render_to_string

from safehold.core.documents import CONTENT_TYPES, pdf_from_html
from safehold.core.exports import append_row, csv_writer
from safehold.performance.choices import Area, Trend
from safehold.performance.report import BoardReport, Cell, Row
from safehold.performance.trend import TrendResult

FORMATS = ("html", "pdf", "csv", "xlsx", "json")
__all__ = ["CONTENT_TYPES", "FORMATS", "as_list", "render", "to_csv", "to_html", "to_xlsx"]

TIDY_COLUMNS = (
    "theme", "code", "name", "source", "unit", "polarity", "tolerance_percent", "frequency",
    "area", "period", "value", "count", "break_in_series", "note", "shown", "trend",
)  # fmt: skip

# The key to the symbols, in the published report's order, with which way each one points.
KEY = [
    TrendResult(Trend.INCREASING_NEUTRAL, "increasing"),
    TrendResult(Trend.DECREASING_NEUTRAL, "decreasing"),
    TrendResult(Trend.INCREASING_POSITIVE, "increasing"),
    TrendResult(Trend.DECREASING_POSITIVE, "decreasing"),
    TrendResult(Trend.INCREASING_NEGATIVE, "increasing"),
    TrendResult(Trend.DECREASING_NEGATIVE, "decreasing"),
    TrendResult(Trend.WITHIN_RANGE, "increasing"),
    TrendResult(Trend.WITHIN_RANGE, "decreasing"),
    TrendResult(Trend.NO_CHANGE),
    TrendResult(Trend.NOT_COMPARABLE),
]


def _value(cell: Cell) -> dict:
    return {
        "period": cell.period.label,
        "value": cell.exact,
        "count": cell.count,
        "break_in_series": cell.break_in_series,
        "note": cell.note,
    }


def _row(row: Row) -> dict:
    indicator = row.indicator
    tolerance = indicator.tolerance_percent
    return {
        "code": indicator.code,
        "name": indicator.name,
        "theme": indicator.theme.name,
        "source": indicator.source,
        "unit": indicator.unit,
        "polarity": indicator.polarity,
        "frequency": indicator.frequency,
        "tolerance_percent": None if tolerance is None else f"{tolerance.normalize():f}",
        "decimal_places": indicator.decimal_places,
        "computed": indicator.computed,
        "values": [_value(cell) for cell in row.cells],
        "trend": str(row.trend.code),
        "trend_words": row.trend.words,
        "comparisons": [{"area": c.area, **_value(c.cell)} for c in row.comparisons.values()],
    }


def as_list(report: BoardReport) -> list[dict]:
    """The JSON: one object per indicator, in the report's order."""
    return [_row(row) for row in report.rows]


def _tidy(report: BoardReport):
    """One line per indicator, area and period: the borough's three periods, then comparisons."""
    for row in report.rows:
        data = _row(row)
        common = [data[c] for c in TIDY_COLUMNS[:8]]
        cells = [(Area.BOROUGH, cell) for cell in row.cells]
        cells += [(c.area, c.cell) for c in row.comparisons.values()]
        for area, cell in cells:
            yield [
                *common,
                str(area),
                cell.period.label,
                cell,  # the value: text in CSV, a number in XLSX
                cell.count,
                "yes" if cell.break_in_series else "",
                cell.note,
                cell.text,
                data["trend"] if area == Area.BOROUGH else "",
            ]


def to_csv(report: BoardReport) -> str:
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\n")
    writer.writerow(TIDY_COLUMNS)
    for line in _tidy(report):
        cell = line[10]
        line[10] = cell.exact or ""
        line[11] = "" if line[11] is None else line[11]
        writer.writerow(["" if v is None else v for v in line])
    return out.getvalue()


def to_xlsx(report: BoardReport) -> bytes:
    """One tidy sheet of every figure (values as numbers), the narratives, and the rule."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "indicators"
    append_row(sheet, TIDY_COLUMNS)
    for line in _tidy(report):
        line[10] = line[10].value  # Decimal: a number in the sheet
        append_row(sheet, line)
    narratives = book.create_sheet("narratives")
    append_row(narratives, ["theme", "period", "narrative"])
    for section in report.sections:
        text = section.narrative.text if section.narrative else ""
        append_row(narratives, [section.theme_name, report.period.label, text])
    about = book.create_sheet("about")
    append_row(about, ["Board report", report.period.label])
    append_row(about, ["Produced", report.produced_at.isoformat(timespec="seconds")])
    append_row(about, [])
    append_row(about, ["How the trends are worked out"])
    for line in report.rule:
        append_row(about, [line])
    append_row(about, [report.inclusion_rule])
    if report.coverage:
        append_row(about, [report.coverage])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def partnership_name() -> str:
    """Whose board the report goes to (setting SAFEHOLD_PARTNERSHIP_NAME)."""
    return getattr(settings, "SAFEHOLD_PARTNERSHIP_NAME", "Community safety partnership")


def document_context(report: BoardReport, **extra) -> dict:
    return {"report": report, "key": KEY, **extra}


def to_html(report: BoardReport, *, partnership: str = "") -> str:
    """The standalone document: the printable view and the source of the PDF."""
    return render_to_string(
        "performance/board_document.html", document_context(report, partnership=partnership)
    )


# The formats that show the other apps' parts of the report (`BoardReport.parts`).
WITH_PARTS = ("html", "pdf")


def render(report: BoardReport, fmt: str, *, partnership: str = "") -> bytes:
    if fmt == "json":
        return (json.dumps(as_list(report), indent=2, ensure_ascii=False) + "\n").encode()
    if fmt == "csv":
        return to_csv(report).encode()
    if fmt == "xlsx":
        return to_xlsx(report)
    html = to_html(report, partnership=partnership)
    return pdf_from_html(html) if fmt == "pdf" else html.encode()
