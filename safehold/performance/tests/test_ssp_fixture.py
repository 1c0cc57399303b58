"""The Safer Stockport Partnership 2016/17 report (MISSION.md §3) as a committed fixture: the
board report over it shows all 17 indicators with their three published values and the trend
the rule gives for each, as JSON, on the page and in the PDF (read back with pdftotext).
safehold/performance/data/ssp_2016_17/README.md says which polarity and tolerance each
indicator was given and why."""

import json
import re
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.performance import formats
from safehold.performance.imports import import_indicators, import_values
from safehold.performance.periods import parse
from safehold.performance.report import board_report

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "ssp_2016_17"

# As published (2014/15, 2015/16, 2016/17); "*" marks a break in series.
PUBLISHED = {
    "MARAC-CHILDREN-PCT": ("N/A", "63.5%", "64.7%"),
    "DA-INCIDENTS": ("5,261", "4,956", "4,648"),
    "DA-CHILD-REFERRALS": ("2,600", "2,063", "1,800"),
    "CHILD-SAFEGUARDING-OFFENCES": ("702", "963", "1,337"),
    "MISSING-FROM-CARE": ("132", "152", "159"),
    "MISSING-FROM-HOME": ("278", "290", "302"),
    "VICTIM-CRIME-RATE": ("52.78", "59.62", "70.08"),
    "VIOLENT-CRIME-RATE": ("10.96", "14.46", "17.61"),
    "STEALING-RATE": ("30.32", "32.54", "37.69"),
    "ASB-RATE": ("40.2", "39.9", "40.0"),
    "PRIMARY-FIRES": ("120", "101", "106"),
    "SECONDARY-FIRES": ("388", "466", "333"),
    "FTE-RATE": ("258 (68)", "282 (74)", "296 (77)"),
    "YOUTH-REOFFENDING-PCT": ("31.2% (53)", "42.7% (56)", "40.8% (58)"),
    "OCG-ARRESTS": ("N/A", "76", "21*"),
    "OCG-CASH": ("N/A", "£1,170,238", "£20,857*"),
    "CHANNEL-REFERRALS": ("11", "13", "8"),
}
# What the rule gives, worked by hand from the fixture's polarity and tolerance:
TRENDS = {
    # 5% of 63.5 is 3.175; 64.7 - 63.5 = 1.2 is within it.
    "MARAC-CHILDREN-PCT": "within-range",
    "DA-INCIDENTS": "decreasing-positive",  # lower is better, 4,956 -> 4,648
    "DA-CHILD-REFERRALS": "decreasing-positive",
    "CHILD-SAFEGUARDING-OFFENCES": "increasing-negative",
    "MISSING-FROM-CARE": "increasing-negative",
    "MISSING-FROM-HOME": "increasing-negative",
    "VICTIM-CRIME-RATE": "increasing-negative",
    "VIOLENT-CRIME-RATE": "increasing-negative",
    "STEALING-RATE": "increasing-negative",
    "ASB-RATE": "increasing-negative",  # 39.9 -> 40.0 at one place: a change, no tolerance
    "PRIMARY-FIRES": "increasing-negative",
    "SECONDARY-FIRES": "decreasing-positive",
    "FTE-RATE": "increasing-negative",
    "YOUTH-REOFFENDING-PCT": "decreasing-positive",
    "OCG-ARRESTS": "not-comparable",  # 2016/17 covers four months only: a break in series
    "OCG-CASH": "not-comparable",
    "CHANNEL-REFERRALS": "decreasing-neutral",  # no polarity
}
WORDS = {
    "within-range": "Increasing — within acceptable range",
    "decreasing-positive": "Decreasing — positive trend",
    "increasing-negative": "Increasing — negative trend",
    "not-comparable": "Not comparable",
    "decreasing-neutral": "Decreasing — no specific polarity",
}


@pytest.fixture
def ssp(db):
    import_indicators(data=(FIXTURE / "indicators.csv").read_bytes(), by=None)
    import_values(data=(FIXTURE / "values.csv").read_bytes(), by=None)


def _plain(text: str) -> str:
    """A published figure as the JSON holds it: "£1,170,238" -> "1170238", "296 (77)" -> "296"."""
    if text == "N/A":
        return None
    return re.sub(r"[£%,*]", "", text.split(" (")[0])


def test_the_json_report_has_the_17_indicators_their_values_and_the_rules_trends(ssp, tmp_path):
    out = tmp_path / "report.json"
    call_command("kpi", "report", "--period", "2016/17", "--format", "json", "--output", str(out))
    data = json.loads(out.read_text())
    assert [row["code"] for row in data] == list(PUBLISHED)
    for row in data:
        published = PUBLISHED[row["code"]]
        assert [v["period"] for v in row["values"]] == ["2014/15", "2015/16", "2016/17"]
        assert [v["value"] for v in row["values"]] == [_plain(t) for t in published], row["code"]
        counts = [int(t.split("(")[1][:-1]) if "(" in t else None for t in published]
        assert [v["count"] for v in row["values"]] == counts
        assert row["trend"] == TRENDS[row["code"]], row["code"]
        assert row["trend_words"] == WORDS[TRENDS[row["code"]]]
    channel = next(row for row in data if row["code"] == "CHANNEL-REFERRALS")
    assert channel["values"][2]["note"] == "to June 17"
    cash = next(row for row in data if row["code"] == "OCG-CASH")
    assert [v["break_in_series"] for v in cash["values"]] == [False, False, True]


def _row_html(html: str, name: str) -> str:
    start = html.index(f">{name}</a>")
    return html[start : html.index("</tr>", start)]


def test_the_page_shows_every_indicator_with_its_three_values_and_trend(ssp, client):
    from safehold.performance.models import Indicator

    client.force_login(UserFactory(role=Role.CASEWORKER))
    response = client.get(reverse("performance:report"), {"period": "2016/17"})
    assert response.status_code == 200
    html = response.content.decode()
    names = dict(Indicator.objects.values_list("code", "name"))
    for code, published in PUBLISHED.items():
        row = _row_html(html, names[code].replace("'", "&#x27;"))
        cells = re.findall(r'class="performance-figure">([^<]*)</span>', row)
        assert cells == list(published), code
        assert WORDS[TRENDS[code]] in row, code
    assert html.count('class="performance-chart"') == 17
    assert html.count("to June 17") == 1


def test_the_pdf_has_every_indicator_with_its_three_values_and_trend(ssp):
    from safehold.performance.models import Indicator

    report = board_report(parse("2016/17"))
    pdf = formats.render(report, "pdf")
    assert pdf.startswith(b"%PDF")
    text = subprocess.run(
        ["/usr/bin/pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    lines = text.splitlines()
    names = dict(Indicator.objects.values_list("code", "name"))
    for code, published in PUBLISHED.items():
        # The row's first line has the start of the name, the three figures and the trend.
        start = re.escape(names[code][:14])
        figures = r"\s+".join(re.escape(t) for t in published)
        pattern = rf"{start}.*\s{figures}\s.*{re.escape(WORDS[TRENDS[code]])}"
        assert any(re.search(pattern, line) for line in lines), code
    flat = re.sub(r"\s+", " ", text)
    assert "How the trends are worked out" in flat
    for theme in ("Protecting Vulnerable People", "Public Safety and Protection",
                  "Transforming Justice", "Serious and Organised Crime", "Strategic Priorities"):  # fmt: skip
        assert theme in flat
