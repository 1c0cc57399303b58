"""The evaluation report as JSON, CSV, XLSX, a standalone HTML document and a PDF board paper.

The shapes are docs/formats/evaluation-report.md. Every format is built from the same
`EvaluationReport` and the same list of tables, so the page, the PDF and the files agree.
"""

import io
from decimal import Decimal

from django.template.loader import render_to_string

from safehold.core.documents import CONTENT_TYPES, Table, pdf_from_html
from safehold.core.exports import append_row, csv_writer
from safehold.reports.evaluation import EvaluationReport
from safehold.reports.suppression import shown

# CONTENT_TYPES, Table and pdf_from_html are core's (safehold/core/documents.py), named here too.
__all__ = [
    "CONTENT_TYPES", "FORMATS", "Table", "as_dict", "document_context", "money",
    "pdf_from_html", "render", "tables", "to_csv", "to_html", "to_pdf", "to_xlsx",
]  # fmt: skip

FORMATS = ("html", "pdf", "csv", "xlsx", "json")


def money(value: Decimal | None) -> str | None:
    """Two decimal places ("289114.00"); a void cost held to more places keeps them."""
    if value is None:
        return None
    if value == value.quantize(Decimal("0.01")):
        return f"{value.quantize(Decimal('0.01')):f}"
    return f"{value.normalize():f}"


# What the partnership's aggregate figures leave out: money (the lead agency's own costs) and
# figures of a few cases' days (a median of three closures describes those three cases).
NOT_PARTNERSHIP_TABLES = {"cost_benefit"}
NOT_PARTNERSHIP_ROWS = {
    "Median days from referral to closure",
    "90th percentile days from referral to closure",
}


def tables(
    report: EvaluationReport, *, coverage=None, partnership: bool = False, suppress: bool = False
) -> list[Table]:
    """The report's tables; with `coverage` (reports.selectors.Coverage) first a table saying
    whose cases they count. The partnership's figures are counts only, their small numbers
    suppressed when `suppress` (ADR 0036)."""
    found = _tables(report)
    if partnership:
        found = [
            Table(t.key, t.title, t.heading, [
                (label, shown(value) if suppress else value)
                for label, value in t.rows if label not in NOT_PARTNERSHIP_ROWS
            ])
            for t in found if t.key not in NOT_PARTNERSHIP_TABLES
        ]  # fmt: skip
    if coverage is not None:
        found.insert(0, coverage_table(coverage))
    return found


def coverage_table(coverage) -> Table:
    rows = [("Whose cases", coverage.whose), ("Cases counted", coverage.covered)]
    if coverage.partnership:
        rows = [("Whose cases", "Every case of the partnership, whoever holds it")]
    return Table(
        "coverage",
        "What this report covers",
        "Figure",
        [*rows, ("The partnership's cases of the period", coverage.total)],
    )


def _tables(report: EvaluationReport) -> list[Table]:
    r = report
    return [
        Table(
            "summary",
            "Summary",
            "Figure",
            [
                ("Cases received", r.cases_received),
                ("Positively resolved (victim no longer exploited)", r.positively_resolved),
                ("of which moved for safety", r.moved),
                ("Ongoing", r.ongoing),
                ("Tenancies sustained", r.tenancies_sustained),
            ],
        ),
        Table(
            "by_source", "Referrals by source", "Source", [(x.label, x.cases) for x in r.by_source]
        ),
        Table("by_type", "Types of exploitation", "Type", [(x.label, x.cases) for x in r.by_type]),
        Table(
            "by_status",
            "Outcome of the cases",
            "Outcome",
            [(x.label, x.cases) for x in r.outcome_rows],
        ),
        Table(
            "outcome_measures",
            "Outcome measures (a case can have several)",
            "Outcome",
            [(x.label, x.cases) for x in r.outcome_measures],
        ),
        Table("by_area", "Cases by area", "Area", [(x.label, x.cases) for x in r.by_area]),
        Table(
            "by_ward",
            "Cases by ward of the address",
            "Ward",
            [(x.label, x.cases) for x in r.by_ward],
        ),
        Table(
            "by_month", "Cases received by month", "Month", [(x.label, x.cases) for x in r.by_month]
        ),
        Table(
            "cost_benefit",
            "Cost-benefit",
            "Figure",
            [
                ("Tenancies sustained", r.tenancies_sustained),
                ("Average void cost (£)", money(r.average_void_cost) or "not set"),
                ("Cost of the service (£)", money(r.service_cost) or "not set"),
                ("Saving (£)", money(r.saving) or "not set"),
            ],
        ),
        Table(
            "further",
            "Beyond the published report",
            "Figure",
            [
                ("People referred more than once in the period", r.repeat_referral_people),
                ("Cases of those people", r.repeat_referral_cases),
                ("Cases closed by the period's end", r.closed_in_period),
                ("Median days from referral to closure", _number(r.median_days_to_closure)),
                ("90th percentile days from referral to closure", _number(r.p90_days_to_closure)),
                *(
                    (f"Re-referred within {months} months of a closure", n)
                    for months, n in r.re_referrals.items()
                ),
                ("Ongoing with no contact in the last 28 days", r.open_without_recent_contact),
            ],
        ),
    ]


def _number(value) -> object:
    return "none closed" if value is None else value


def as_dict(report: EvaluationReport, *, coverage=None, suppress: bool = False) -> dict:
    """The report as JSON; the partnership's figures (a partnership coverage) as its tables,
    counts only."""
    described = {} if coverage is None else {"coverage": _coverage_dict(coverage)}
    if coverage is not None and coverage.partnership:
        return {
            "period": {"from": report.date_from.isoformat(), "to": report.date_to.isoformat()},
            **described,
            "tables": {
                t.key: [{"label": label, "value": value} for label, value in t.rows]
                for t in tables(report, partnership=True, suppress=suppress)
            },
            "counting_rules": report.counting_rules,
        }
    return _full_dict(report) | described


def _coverage_dict(coverage) -> dict:
    return {
        "whose": coverage.whose,
        "cases": coverage.covered,
        "partnership_cases": coverage.total,
        "partnership": coverage.partnership,
        "note": coverage.sentence,
    }


def _full_dict(report: EvaluationReport) -> dict:
    r = report
    return {
        "period": {"from": r.date_from.isoformat(), "to": r.date_to.isoformat()},
        "cases_received": r.cases_received,
        "by_source": [{"source": x.label, "cases": x.cases} for x in r.by_source],
        "by_type": [{"type": x.label, "cases": x.cases} for x in r.by_type],
        "by_area": [{"area": x.label, "cases": x.cases} for x in r.by_area],
        "by_month": [{"month": x.label, "cases": x.cases} for x in r.by_month],
        "positively_resolved": r.positively_resolved,
        "moved": r.moved,
        "no_engagement": r.no_engagement,
        "no_exploitation": r.no_exploitation,
        "other": r.other_closed,
        "ongoing": r.ongoing,
        "outcome_measures": [{"measure": x.label, "cases": x.cases} for x in r.outcome_measures],
        "cost_benefit": {
            "tenancies_sustained": r.tenancies_sustained,
            "average_void_cost": money(r.average_void_cost),
            "service_cost": money(r.service_cost),
            "saving": money(r.saving),
            "saving_rounded_to": r.saving_rounding,
            "saving_before_rounding": money(r.unrounded_saving),
        },
        "repeat_referrals": {"people": r.repeat_referral_people, "cases": r.repeat_referral_cases},
        "days_to_closure": {
            "cases": r.closed_in_period,
            "median": None if r.median_days_to_closure is None else str(r.median_days_to_closure),
            "p90": r.p90_days_to_closure,
        },
        "re_referrals": {f"within_{m}_months": n for m, n in r.re_referrals.items()},
        "open_without_recent_contact": r.open_without_recent_contact,
        "counting_rules": r.counting_rules,
    }


def to_csv(report: EvaluationReport, **shape) -> str:
    """Every table in one file: table, label, value (one header row)."""
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\n")
    writer.writerow(["table", "label", "value"])
    for table in tables(report, **shape):
        for label, value in table.rows:
            writer.writerow([table.key, label, value])
    return out.getvalue()


def to_xlsx(report: EvaluationReport, **shape) -> bytes:
    """One sheet per table, plus a sheet with the period and the counting rules."""
    from openpyxl import Workbook

    book = Workbook()
    about = book.active
    about.title = "about"
    append_row(about, ["Evaluation report"])
    append_row(about, ["From", report.date_from.isoformat()])
    append_row(about, ["To", report.date_to.isoformat()])
    append_row(about, [])
    append_row(about, ["Counting rules"])
    for rule in report.counting_rules:
        append_row(about, [rule])
    for table in tables(report, **shape):
        sheet = book.create_sheet(table.key)
        append_row(sheet, [table.heading, "Cases" if table.key.startswith("by_") else "Value"])
        for label, value in table.rows:
            append_row(sheet, [label, value])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def document_context(
    report: EvaluationReport, *, programme_name: str = "", coverage=None, suppress: bool = False
) -> dict:
    partnership = coverage is not None and coverage.partnership
    shape = {"partnership": partnership, "suppress": suppress}
    return {
        "report": report,
        "tables": {t.key: t for t in tables(report, **shape)},
        "coverage": coverage,
        "partnership": partnership,
        "programme_name": programme_name,
        "money": {
            "average_void_cost": money(report.average_void_cost),
            "service_cost": money(report.service_cost),
            "saving": money(report.saving),
            "gross": money(report.gross_saving),
            "unrounded": money(report.unrounded_saving),
        },
    }


def to_html(report: EvaluationReport, *, programme_name: str = "", **described) -> str:
    """A standalone HTML document (the PDF is printed from it)."""
    return render_to_string(
        "reports/evaluation_document.html",
        document_context(report, programme_name=programme_name, **described),
    )


def to_pdf(report: EvaluationReport, *, programme_name: str = "", **described) -> bytes:
    """An A4 board paper, printed from the standalone HTML document."""
    return pdf_from_html(to_html(report, programme_name=programme_name, **described))


def render(
    report: EvaluationReport,
    fmt: str,
    *,
    programme_name: str = "",
    coverage=None,
    suppress: bool = False,
) -> bytes:
    """The report in one of FORMATS; with `coverage`, saying whose cases it counts (and, for
    the partnership's figures, counts only, small ones suppressed when `suppress`)."""
    described = {"coverage": coverage, "suppress": suppress}
    shape = {
        "coverage": coverage,
        "partnership": coverage is not None and coverage.partnership,
        "suppress": suppress,
    }
    if fmt == "json":
        import json

        data = as_dict(report, **described)
        return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode()
    if fmt == "csv":
        return to_csv(report, **shape).encode()
    if fmt == "xlsx":
        return to_xlsx(report, **shape)
    if fmt == "pdf":
        return to_pdf(report, programme_name=programme_name, **described)
    return to_html(report, programme_name=programme_name, **described).encode()
