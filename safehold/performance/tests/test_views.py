"""The performance pages: who may read and who may enter, what each write records (the value's
history and the audit log), the downloads and the API agree with the command line, and the
board page takes the same number of queries for 5 indicators as for 50."""

import io
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.audit.models import AuditEvent
from safehold.performance.models import Indicator, IndicatorValue, Narrative, ValueChange
from safehold.performance.tests.factories import IndicatorFactory, ThemeFactory
from safehold.performance.tests.test_imports import INDICATORS, VALUES


@pytest.fixture
def framework(db):
    from safehold.performance.imports import import_indicators, import_values

    import_indicators(data=INDICATORS, by=None)
    import_values(data=VALUES, by=None)


@pytest.fixture
def analyst(db):
    return UserFactory(role=Role.ANALYST, full_name="Helen Doyle")


def test_readers_see_the_report_but_only_analysts_and_administrators_enter(client, framework):
    indicator = Indicator.objects.get(code="DA-INCIDENTS")
    entry_pages = [
        reverse("performance:indicator-add"),
        reverse("performance:import"),
        reverse("performance:indicator-change", args=[indicator.pk]),
        reverse("performance:value-add", args=[indicator.pk]),
        reverse("performance:narrative", args=[indicator.theme.pk]),
    ]
    client.force_login(UserFactory(role=Role.CASEWORKER))
    assert client.get(reverse("performance:report")).status_code == 200
    assert client.get(reverse("performance:indicator", args=[indicator.pk])).status_code == 200
    for url in entry_pages:
        # A refused page is 403; a refused page about one record is 404 (ADR 0027).
        refused = 404 if str(indicator.pk) in url or str(indicator.theme.pk) in url else 403
        assert client.get(url).status_code == refused, url
        assert client.post(url, {}).status_code == refused, url
    for role in (Role.ANALYST, Role.ADMINISTRATOR):
        client.force_login(UserFactory(role=role))
        for url in entry_pages:
            assert client.get(url).status_code == 200, (role, url)
    client.force_login(UserFactory(role=Role.REFERRER))
    assert client.get(reverse("performance:report")).status_code == 403
    assert client.get(reverse("api:kpi-report")).status_code == 403


def test_the_navigation_shows_performance_to_readers_only(client, db):
    client.force_login(UserFactory(role=Role.ANALYST))
    assert ">Performance<" in client.get(reverse("core:home")).content.decode().replace(
        "\n", ""
    ).replace(" ", "")
    client.force_login(UserFactory(role=Role.REFERRER))
    assert "Performance" not in client.get(reverse("core:home")).content.decode()


def test_entering_a_value_keeps_who_entered_what_and_audits_it(client, framework, analyst):
    indicator = Indicator.objects.get(code="DA-INCIDENTS")
    client.force_login(analyst)
    url = reverse("performance:value-add", args=[indicator.pk])
    held = IndicatorValue.objects.get(indicator=indicator, period="2016/17", area="borough")
    response = client.post(
        url,
        {
            "period": "2016/17", "area": "borough", "value": "4,650", "count": "",
            "note": "revised", "version": held.version, "opened_for": "2016/17|borough",
        },
    )  # fmt: skip
    assert response.status_code == 302
    value = IndicatorValue.objects.get(indicator=indicator, period="2016/17", area="borough")
    assert (value.value, value.note, value.entered_by) == (Decimal(4650), "revised", analyst)
    assert response.url == reverse("performance:value", args=[value.pk])
    event = AuditEvent.objects.get(actor=analyst, action="alter")
    assert (
        event.purpose
        == "DA-INCIDENTS 2016/17: 4650, note “revised” (was 4648) (entered on the page)"
    )
    page = client.get(response.url).content.decode()
    # The history: the imported value (command line) and the change made on the page.
    assert "Helen Doyle" in page and "Command line" in page
    assert page.index("4,650") < page.index("4,648")  # newest first
    assert ValueChange.objects.filter(indicator_value=value).count() == 2


def test_a_value_form_refuses_bad_input_with_design_system_messages(client, framework, analyst):
    indicator = Indicator.objects.get(code="FIRES-Q")
    client.force_login(analyst)
    url = reverse("performance:value-add", args=[indicator.pk])
    response = client.post(
        url, {"period": "2016/17", "area": "borough", "value": "lots", "count": "3"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter a quarter like 2016/17 Q3: FIRES-Q is reported quarterly" in html
    assert "“lots” is not a number" in html
    assert IndicatorValue.objects.filter(indicator=indicator).count() == 1


def test_an_analyst_defines_an_indicator_and_changes_it(client, db, analyst):
    ThemeFactory(name="Reducing Offending")
    client.force_login(analyst)
    response = client.post(reverse("performance:indicator-add"), {
        "code": "fte-rate", "name": "First time entrants", "theme": "Reducing Offending",
        "source": "SCT", "unit": "rate_per_100000", "polarity": "lower_better",
        "tolerance_percent": "", "frequency": "annual", "decimal_places": "", "notes": "",
    })  # fmt: skip
    assert response.status_code == 302
    indicator = Indicator.objects.get(code="FTE-RATE")
    assert indicator.decimal_places == 0 and indicator.theme.name == "Reducing Offending"
    response = client.post(reverse("performance:indicator-change", args=[indicator.pk]), {
        "name": "First time entrants", "theme": "", "new_theme": "Transforming Justice",
        "source": "SCT", "unit": "rate_per_100000", "polarity": "lower_better",
        "tolerance_percent": "2", "frequency": "annual", "decimal_places": "1", "notes": "",
    })  # fmt: skip
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.theme.name, indicator.tolerance_percent, indicator.decimal_places) == (
        "Transforming Justice", Decimal(2), 1,
    )  # fmt: skip
    purposes = list(AuditEvent.objects.filter(actor=analyst).values_list("purpose", flat=True))
    assert any(p.startswith("indicator FTE-RATE defined") for p in purposes)
    assert (
        "indicator FTE-RATE changed: theme Transforming Justice; tolerance_percent 2; decimal_places 1"
        in purposes
    )


def test_a_narrative_is_written_audited_and_shown_on_the_report(client, framework, analyst):
    theme = Indicator.objects.get(code="DA-INCIDENTS").theme
    client.force_login(analyst)
    url = reverse("performance:narrative", args=[theme.pk]) + "?period=2016/17"
    assert (
        client.post(url, {"text": "Domestic abuse incidents fell for the third year."}).status_code
        == 302
    )
    assert Narrative.objects.get(theme=theme, period="2016/17").written_by == analyst
    assert (
        AuditEvent.objects.filter(actor=analyst, object_type="performance.narrative").count() == 1
    )
    page = client.get(reverse("performance:report"), {"period": "2016/17"}).content.decode()
    assert "Domestic abuse incidents fell for the third year." in page
    assert client.post(url, {"text": ""}).status_code == 400
    client.post(url, {"text": "Fell <b>again</b>.\r\n\r\nA second paragraph."})
    page = client.get(reverse("performance:report"), {"period": "2016/17"}).content.decode()
    assert '<p class="govuk-body">Fell &lt;b&gt;again&lt;/b&gt;.</p>' in page
    assert '<p class="govuk-body">A second paragraph.</p>' in page


def test_uploading_a_bad_file_lists_every_problem_and_saves_nothing(client, framework, analyst):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(analyst)
    data = b"code,period,value,count,break_in_series\nNOPE,2016/17,1,,\nDA-INCIDENTS,2016/17,x,,\n"
    response = client.post(reverse("performance:import"), {
        "kind": "values", "file": SimpleUploadedFile("q.csv", data, "text/csv")})  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 400
    assert "Row 2, code: “NOPE” is not an indicator in Safehold" in html
    assert "Row 3, value: “x” is not a number" in html
    assert (
        IndicatorValue.objects.get(indicator__code="DA-INCIDENTS", period="2016/17").value == 4648
    )


def _query_count(client, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("performance:report"), params).status_code == 200
    return len(captured)


def _indicators(n, theme):
    for _ in range(n):
        indicator = IndicatorFactory(theme=theme)
        for year, value in ((2014, 5), (2015, 7), (2016, 6)):
            IndicatorValue.objects.create(
                indicator=indicator, period=f"{year}/{(year + 1) % 100:02d}",
                period_start=f"{year}-04-01", value=value,
            )  # fmt: skip
        IndicatorValue.objects.create(
            indicator=indicator,
            area="national",
            period="2016/17",
            period_start="2016-04-01",
            value=9,
        )


def test_the_board_page_takes_the_same_queries_for_5_and_50_indicators(client, db):
    themes = [ThemeFactory(), ThemeFactory()]
    client.force_login(UserFactory(role=Role.CASEWORKER))
    _indicators(3, themes[0])
    _indicators(2, themes[1])
    params = {"period": "2016/17"}
    _query_count(client, params)  # the first report ever also defines the computed indicators
    five = _query_count(client, params)
    _indicators(25, themes[0])
    _indicators(20, themes[1])
    assert _query_count(client, params) == five
    html = client.get(reverse("performance:report"), params).content.decode()
    assert html.count('class="performance-chart"') == 50


def test_the_indicator_list_takes_the_same_queries_for_5_and_50_indicators(client, db):
    theme = ThemeFactory()
    client.force_login(UserFactory(role=Role.ANALYST))
    _indicators(5, theme)

    def count():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("performance:indicators"))
        assert response.status_code == 200
        return len(captured), response.content.decode()

    five, _ = count()
    _indicators(45, theme)
    fifty, html = count()
    assert fifty == five
    assert html.count("2016/17") == 50  # each indicator's latest period


def test_the_value_form_is_filled_in_with_the_value_held_to_correct_it(client, framework, analyst):
    indicator = Indicator.objects.get(code="FIRES-Q")
    client.force_login(analyst)
    page = client.get(
        reverse("performance:value-add", args=[indicator.pk]), {"period": "2016/17 Q3"}
    ).content.decode()
    assert 'value="2016/17 Q3"' in page and 'value="27"' in page
    assert 'name="break_in_series" type="checkbox" value="on" checked' in page


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "pdf", "print"])
def test_the_downloads_and_the_printable_view(client, framework, fmt):
    client.force_login(UserFactory(role=Role.SUPERVISOR))
    response = client.get(reverse("performance:report"), {"period": "2016/17", "format": fmt})
    assert response.status_code == 200
    body = response.content
    if fmt == "json":
        assert [row["code"] for row in json.loads(body)] == ["DA-INCIDENTS", "MARAC-PCT", "FIRES-Q"]
    elif fmt == "csv":
        lines = body.decode().splitlines()
        assert lines[0].startswith("theme,code,name,source,unit,polarity")
        assert (
            'Protecting Vulnerable People,DA-INCIDENTS,Domestic abuse incidents,GMP,count,lower_better,,annual,borough,2016/17,4648,,,,"4,648",decreasing-positive'
            in lines
        )
    elif fmt == "pdf":
        assert body.startswith(b"%PDF")
    elif fmt == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body))
        assert book.sheetnames == ["indicators", "narratives", "about"]
        rows = list(book["indicators"].values)
        assert ("Protecting Vulnerable People", "DA-INCIDENTS") == rows[3][:2]
        assert rows[3][10] == 4648
    else:
        assert "Content-Disposition" not in response
        assert b"How the trends are worked out" in body and b"<svg" in body
    assert AuditEvent.objects.filter(
        channel="export", purpose__startswith="board report 2016/17"
    ).exists()


def test_the_api_gives_the_same_json_as_the_command_line(client, framework, tmp_path):
    from django.core.management import call_command

    out = tmp_path / "r.json"
    call_command("kpi", "report", "--period", "2016/17", "--format", "json", "--output", str(out))
    client.force_login(UserFactory(role=Role.ANALYST))
    response = client.get(reverse("api:kpi-report"), {"period": "2016/17"})
    assert response.status_code == 200
    assert response.json() == json.loads(out.read_text())
    assert client.get(reverse("api:kpi-report"), {"period": "2016-17"}).status_code == 400
    assert AuditEvent.objects.filter(channel="api", purpose="board report 2016/17 (json)").exists()


def test_the_report_shows_comparison_figures_beside_the_borough(client, framework):
    from safehold.performance.imports import import_values

    import_values(
        data="code,period,value,count,break_in_series,area\nDA-INCIDENTS,2016/17,51234,,,greater_manchester\n",
        by=None,
    )
    client.force_login(UserFactory(role=Role.ANALYST))
    html = client.get(reverse("performance:report"), {"period": "2016/17"}).content.decode()
    assert "Greater Manchester, 2016/17" in html and "51,234" in html
    data = client.get(reverse("api:kpi-report"), {"period": "2016/17"}).json()
    da = next(row for row in data if row["code"] == "DA-INCIDENTS")
    assert da["comparisons"] == [
        {
            "area": "greater_manchester",
            "period": "2016/17",
            "value": "51234",
            "count": None,
            "break_in_series": False,
            "note": "",
        }
    ]


def test_a_quarterly_indicator_in_an_annual_report_shows_its_last_quarters(client, framework):
    client.force_login(UserFactory(role=Role.ANALYST))
    data = client.get(reverse("api:kpi-report"), {"period": "2016/17"}).json()
    fires = next(row for row in data if row["code"] == "FIRES-Q")
    assert [v["period"] for v in fires["values"]] == ["2016/17 Q2", "2016/17 Q3", "2016/17 Q4"]
    assert fires["trend"] == "not-comparable"  # no Q4 value
    q3 = client.get(reverse("api:kpi-report"), {"period": "2016/17 Q3"}).json()
    da = next(row for row in q3 if row["code"] == "DA-INCIDENTS")
    assert da["values"][-1]["period"] == "2015/16"  # the last year ended by December 2016
