"""The report over the committed fixture reproduces every figure of the published evaluation
(MISSION.md §1), and the two places where the published figures disagree are stated, not hidden
(safehold/reports/tests/data/README.md)."""

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from safehold.cases.imports import import_cases
from safehold.cases.models import Case
from safehold.cases.tests.factories import ProgrammeFactory
from safehold.geography.services import load_stockport_extract
from safehold.reports.choices import SavingRounding
from safehold.reports.evaluation import evaluation_report, saving
from safehold.reports.services import set_evaluation_settings

FIXTURE = Path(__file__).parent / "data" / "evaluation_2022_2023.csv"
PUBLISHED_AREAS = {
    "Adswood": 14, "Bramhall": 1, "Bredbury": 4, "Brinnington": 28, "Cale Green": 2,
    "Cheadle/Cheadle Hulme": 13, "Central": 3, "Davenport": 1, "Edgeley": 10, "Hazel Grove": 2,
    "Heald Green": 1, "The Heatons": 7, "Heaviley": 2, "Hillgate": 2, "Lancashire Hill": 10,
    "Mottram Street Estate": 18, "Marple": 5, "Offerton/Estate": 7, "Rectory Fields": 2,
    "Reddish": 15, "Romiley": 7, "Victoria Park": 3, "Woodley": 4,
}  # fmt: skip
PUBLISHED_OUTCOMES = [
    ("Arrested/Conviction", 4),
    ("Target Hardening & Wrap around support", 68),
    ("CPW/N", 14),
    ("Moved", 11),
    ("Warnings issued", 5),
    ("Perps excluded", 11),
]
FROM, TO = datetime.date(2022, 1, 1), datetime.date(2023, 8, 31)


@pytest.fixture
def programme(db):
    load_stockport_extract()
    programme = ProgrammeFactory(name="Exploitation project")
    import_cases(data=FIXTURE.read_bytes(), programme=programme, by=None)
    return programme


def _report(programme, void_cost="4659.10", rounding=SavingRounding.PENNY):
    return evaluation_report(
        Case.objects.filter(programme=programme),
        date_from=FROM,
        date_to=TO,
        average_void_cost=Decimal(void_cost),
        service_cost=Decimal("27705.00"),
        saving_rounding=rounding,
    )


def test_the_report_reproduces_the_published_figures(programme):
    report = _report(programme)
    assert report.cases_received == 161
    assert {row.label: row.cases for row in report.by_area} == PUBLISHED_AREAS
    assert [(row.label, row.cases) for row in report.outcome_measures] == PUBLISHED_OUTCOMES
    # 129 positively resolved (the victim no longer exploited), 11 of them moved for safety.
    assert (report.positively_resolved, report.moved, report.ongoing) == (129, 11, 26)
    assert report.no_engagement + report.no_exploitation == 161 - 129 - 26
    assert report.tenancies_sustained == 68
    type_order = [row.label for row in report.by_type]
    assert type_order == ["Property takeover (cuckooing)", "Family", "Financial", "Sexual"]
    assert sum(row.cases for row in report.by_source) == 161
    assert sum(row.cases for row in report.by_month) == 161


def test_the_published_saving_to_the_nearest_pound_as_published(programme):
    # The published figures are whole pounds: 68 x £4,659.10 - £27,705.00 = £289,113.80,
    # which the evaluation shows as £289,114.
    report = _report(programme, "4659.10", SavingRounding.POUND)
    assert report.saving == Decimal("289114.00")
    assert report.unrounded_saving == Decimal("289113.80")


def test_the_saving_to_the_penny_and_the_void_cost_the_published_total_implies(programme):
    # The formula with the published void cost: 68 x 4,659.10 - 27,705.00 = 289,113.80.
    assert _report(programme, "4659.10").saving == Decimal("289113.80")
    # The published £289,114 implies 316,819 / 68 = 4,659.1029… a property; to 4 places,
    # 68 x 4,659.1029 = 316,818.9972, less 27,705.00 = 289,113.9972, which rounds to 289,114.00.
    implied = (Decimal(316819) / 68).quantize(Decimal("0.0001"))
    assert implied == Decimal("4659.1029")
    assert 68 * implied == Decimal("316818.9972")
    assert _report(programme, str(implied)).saving == Decimal("289114.00")
    assert saving(68, implied, Decimal("27705.00")) == Decimal("289114.00")


def test_the_command_line_json_has_the_issues_shape(programme, tmp_path):
    set_evaluation_settings(
        programme=programme, period_start=FROM, period_end=TO,
        average_void_cost=Decimal("4659.10"), service_cost=Decimal("27705.00"),
        saving_rounding=SavingRounding.POUND, by=None,
    )  # fmt: skip
    out = tmp_path / "report.json"
    call_command(
        "report", "evaluation", "--from", "2022-01-01", "--to", "2023-08-31",
        "--format", "json", "--output", str(out),
        "--programme", programme.name,
    )  # fmt: skip
    data = json.loads(out.read_text())
    assert data["period"] == {"from": "2022-01-01", "to": "2023-08-31"}
    assert data["cases_received"] == 161
    assert (data["positively_resolved"], data["moved"], data["ongoing"]) == (129, 11, 26)
    assert data["outcome_measures"] == [{"measure": m, "cases": n} for m, n in PUBLISHED_OUTCOMES]
    assert {x["area"]: x["cases"] for x in data["by_area"]} == PUBLISHED_AREAS
    # The programme's settings for the period: £4,659.10, £27,705.00, whole pounds as published.
    assert data["cost_benefit"] == {
        "tenancies_sustained": 68,
        "average_void_cost": "4659.10",
        "service_cost": "27705.00",
        "saving": "289114.00",
        "saving_rounded_to": "pound",
        "saving_before_rounding": "289113.80",
    }


def test_the_pdf_has_every_table_and_figure_of_the_html_page(programme):
    """The PDF and the page come from one document; read the PDF back and find every table's
    title, every row and every number of the page in it (poppler's pdftotext)."""
    import re
    import subprocess

    from safehold.reports.formats import tables, to_html, to_pdf

    report = _report(programme)
    pdf = to_pdf(report, programme_name=programme.name)
    text = subprocess.run(
        ["/usr/bin/pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    flat = re.sub(r"\s+", " ", text)
    html = to_html(report, programme_name=programme.name)
    assert html.count("<svg") >= 7 and flat.count("Cases by ward of the address") >= 1
    lines = text.splitlines()
    for table in tables(report):
        assert table.title in flat, table.title
        for label, value in table.rows:
            # The row's label (its start, when a long one wraps) and its figure share a line.
            start = str(label)[:18]
            pattern = re.escape(start) + r".*?\s" + re.escape(str(value)) + r"(\s|$)"
            assert any(re.search(pattern, line) for line in lines), (table.title, label, value)
    assert "289,113.80" in flat or "289113.80" in flat
    rounded = to_pdf(_report(programme, rounding=SavingRounding.POUND), programme_name="P")
    text = subprocess.run(
        ["/usr/bin/pdftotext", "-", "-"], input=rounded, capture_output=True, check=True
    ).stdout.decode()
    assert "nearest pound" in text and "289114.00" in re.sub(r"\s+", "", text)


def test_the_json_has_cases_by_ward(programme):
    out = _report(programme)
    assert sum(row.cases for row in out.by_ward) == 161
