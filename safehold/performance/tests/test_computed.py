"""Indicators Safehold computes from its casework: the evaluation report's counting rules for
each ended quarter, stored as computed values, refreshed without entry, never overwritten by
an entered value."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.audit.models import AuditEvent
from safehold.cases.models import Case
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory
from safehold.people.tests.factories import PersonFactory
from safehold.performance import computed, services
from safehold.performance.disclosure import SUPPRESSED
from safehold.performance.imports import ImportInvalid, import_indicators, import_values
from safehold.performance.models import Indicator, IndicatorValue, ValueChange
from safehold.performance.periods import parse
from safehold.performance.report import board_report
from safehold.reports.evaluation import evaluation_report
from safehold.sharing.middleware import apply_row_security, reset_row_security
from safehold.sharing.tests.factories import AgreementFactory

TODAY = datetime.date(2023, 12, 1)  # 2023/24 Q1 and Q2 have ended; Q3 has not


@pytest.fixture
def programme(db):
    programme = ProgrammeFactory()
    twice = PersonFactory(owning_agency=programme.lead_agency)
    # 2023/24 Q1 (April to June 2023): three cases, two of them about the same person; one
    # positively resolved in the quarter, one moved for safety after it ended.
    CaseFactory(programme=programme, referral_date=datetime.date(2023, 4, 3), subject=twice,
                status="closed", closure_reason="positively_resolved",
                closed_on=datetime.date(2023, 6, 1))  # fmt: skip
    CaseFactory(programme=programme, referral_date=datetime.date(2023, 5, 9), subject=twice,
                status="closed", closure_reason="moved", closed_on=datetime.date(2023, 7, 20))  # fmt: skip
    CaseFactory(programme=programme, referral_date=datetime.date(2023, 6, 30))
    # 2023/24 Q2: one case; 2023/24 Q3 (not ended by TODAY): one case.
    CaseFactory(programme=programme, referral_date=datetime.date(2023, 8, 14))
    CaseFactory(programme=programme, referral_date=datetime.date(2023, 11, 2))
    return programme


def _values():
    return {
        (v.indicator.code, v.period): (v.value, v.count)
        for v in IndicatorValue.objects.select_related("indicator")
    }


def test_refresh_computes_each_ended_quarter_with_the_evaluation_reports_rules(programme):
    result = computed.refresh(today=TODAY)
    assert result.periods == 2
    values = _values()
    assert values == {
        ("EXP-REFERRALS", "2023/24 Q1"): (3, None),
        ("EXP-RESOLVED", "2023/24 Q1"): (1, None),  # moved after the quarter: not counted in it
        ("EXP-REPEAT-PCT", "2023/24 Q1"): (Decimal("66.6667"), 2),
        ("EXP-REFERRALS", "2023/24 Q2"): (1, None),
        ("EXP-RESOLVED", "2023/24 Q2"): (0, None),
        ("EXP-REPEAT-PCT", "2023/24 Q2"): (0, 0),
    }
    # The same figures as the evaluation report for each quarter.
    q1 = evaluation_report(Case.objects.all(), date_from=datetime.date(2023, 4, 1),
                           date_to=datetime.date(2023, 6, 30), average_void_cost=None,
                           service_cost=None)  # fmt: skip
    assert values["EXP-REFERRALS", "2023/24 Q1"][0] == q1.cases_received
    assert values["EXP-RESOLVED", "2023/24 Q1"][0] == q1.positively_resolved
    assert values["EXP-REPEAT-PCT", "2023/24 Q1"][1] == q1.repeat_referral_cases
    held = IndicatorValue.objects.filter(indicator__code="EXP-REFERRALS")
    assert all(v.computed and v.entered_by is None for v in held)
    assert set(ValueChange.objects.values_list("method", flat=True)) == {"computed"}
    assert set(Indicator.objects.values_list("source", flat=True)) == {"Safehold"}


def test_refreshing_again_changes_nothing_until_the_casework_does(programme):
    computed.refresh(today=TODAY)
    counts = (ValueChange.objects.count(), AuditEvent.objects.count())
    assert computed.refresh(today=TODAY).changed == 0
    assert (ValueChange.objects.count(), AuditEvent.objects.count()) == counts
    CaseFactory(programme=programme, referral_date=datetime.date(2023, 9, 1))
    assert computed.refresh(today=TODAY).changed == 1  # Q2 referrals: 1 -> 2 (repeats: 0 of 2)
    q2 = IndicatorValue.objects.get(indicator__code="EXP-REFERRALS", period="2023/24 Q2")
    assert [c.value for c in q2.changes.order_by("created_at")] == [1, 2]
    assert AuditEvent.objects.filter(
        purpose__startswith="EXP-REFERRALS 2023/24 Q2: 2 (was 1)"
    ).exists()


def test_producing_a_board_report_brings_the_computed_indicators_up_to_date(programme):
    report = board_report(parse("2023/24 Q2"), today=TODAY)
    rows = {row.indicator.code: row for row in report.rows}
    assert [c.text for c in rows["EXP-REFERRALS"].cells] == ["N/A", "3", "1"]
    assert rows["EXP-REFERRALS"].trend.code == "decreasing-neutral"
    assert rows["EXP-RESOLVED"].trend.code == "decreasing-negative"
    assert rows["EXP-REPEAT-PCT"].cells[1].text == "66.7% (2)"
    assert rows["EXP-REPEAT-PCT"].trend.code == "decreasing-positive"


def test_entered_values_never_overwrite_a_computed_indicators_values(programme, client):
    computed.refresh(today=TODAY)
    indicator = Indicator.objects.get(code="EXP-REFERRALS")
    with pytest.raises(services.ComputedIndicatorError):
        services.enter_value(indicator=indicator, period=parse("2023/24 Q1"),
                             figure=services.Figure(Decimal(99)), by=None)  # fmt: skip
    with pytest.raises(ImportInvalid) as exc:
        import_values(
            data="code,period,value,count,break_in_series\nEXP-REFERRALS,2023/24 Q1,99,,\n", by=None
        )
    assert (exc.value.errors[0].row, exc.value.errors[0].column) == (2, "code")
    assert "computed by Safehold" in exc.value.errors[0].message
    with pytest.raises(ImportInvalid) as exc:
        import_indicators(data="code,name,theme,source,unit,polarity,tolerance_percent,frequency\n"
                          "EXP-REFERRALS,Mine,Theme,GMP,count,none,,annual\n", by=None)  # fmt: skip
    assert "EXP-REFERRALS is computed by Safehold" in exc.value.errors[0].message
    client.force_login(UserFactory(role=Role.ANALYST))
    response = client.post(
        reverse("performance:value-add", args=[indicator.pk]),
        {"period": "2023/24 Q1", "area": "borough", "value": "99"},
    )
    assert response.status_code == 400
    assert "Select whose figure it is" in response.content.decode()
    assert (
        IndicatorValue.objects.get(indicator=indicator, period="2023/24 Q1", area="borough").value
        == 3
    )
    # A comparison figure for another area is the partnership's to enter.
    response = client.post(
        reverse("performance:value-add", args=[indicator.pk]),
        {"period": "2023/24 Q1", "area": "greater_manchester", "value": "40"},
    )
    assert response.status_code == 302
    assert IndicatorValue.objects.get(indicator=indicator, area="greater_manchester").value == 40


def test_the_partnership_may_set_a_computed_indicators_polarity_and_tolerance(programme, client):
    computed.refresh(today=TODAY)
    indicator = Indicator.objects.get(code="EXP-REFERRALS")
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    response = client.post(reverse("performance:indicator-change", args=[indicator.pk]), {
        "theme": indicator.theme.name, "lead_officer": "Head of community safety",
        "polarity": "higher_better", "tolerance_percent": "10", "decimal_places": "0", "notes": "",
    })  # fmt: skip
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.polarity, indicator.tolerance_percent, indicator.unit) == (
        "higher_better",
        10,
        "count",
    )
    computed.refresh(today=TODAY)
    indicator.refresh_from_db()
    assert indicator.polarity == "higher_better"  # a refresh keeps what the partnership set


def test_the_refresh_command(programme, capsys):
    from django.core.management import call_command

    call_command("kpi", "refresh")
    assert "value(s) changed" in capsys.readouterr().out
    assert IndicatorValue.objects.filter(
        indicator__code="EXP-REFERRALS", period="2023/24 Q1"
    ).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row-level security is PostgreSQL's")
def test_a_reader_restricted_to_their_agency_still_gets_the_whole_programmes_counts(programme):
    """A board report produced in a web request runs under row-level security (ADR 0011); the
    computed indicators still count every case (as the system), and the reader's connection is
    restricted again straight after."""
    outsider = UserFactory(agency=AgencyFactory(), role=Role.ANALYST)
    apply_row_security(outsider)
    try:
        assert Case.objects.count() == 0
        computed.refresh(today=TODAY)
        assert Case.objects.count() == 0
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user, current_setting('safehold.agency_id')")
            assert cursor.fetchone() == ("safehold_app", str(outsider.agency_id))
    finally:
        reset_row_security()
    assert _values()["EXP-REFERRALS", "2023/24 Q1"] == (3, None)


def _shown(report, code: str, period: str) -> str:
    return next(
        cell.text
        for section in report.sections
        for table in section.tables
        for row in table.rows
        if row.indicator.code == code
        for cell in row.cells
        if cell.period.label == period
    )


@pytest.mark.parametrize(
    ("viewer", "shown"),
    [
        ("the lead agency", "3"),
        ("a partner whose agreement covers casework statistics", "3"),
        ("a partner whose agreement does not", SUPPRESSED),
        ("an agency with no agreement", SUPPRESSED),
    ],
)
def test_small_casework_counts_are_shown_only_to_agencies_allowed_to_see_them(
    programme, client, viewer, shown
):
    """Three cases in a quarter: exact for the programme's agency and partners whose agreement
    covers casework statistics; "Fewer than 5" for others (issue 12, probe finding g)."""
    lead = programme.lead_agency
    agency = lead if viewer == "the lead agency" else AgencyFactory()
    if viewer.startswith("a partner"):
        categories = ["identity", "casework_statistics"] if "covers" in viewer else ["identity"]
        AgreementFactory(parties=[lead, agency], data_categories=categories)
    user = UserFactory(agency=agency, role=Role.ANALYST)
    report = board_report(parse("2023/24 Q2"), today=TODAY, viewer=user)
    assert _shown(report, "EXP-REFERRALS", "2023/24 Q1") == shown
    assert _shown(report, "EXP-REFERRALS", "2023/24 Q2") == ("1" if shown == "3" else SUPPRESSED)
    # The indicator's own page says the same.
    client.force_login(user)
    indicator = Indicator.objects.get(code="EXP-REFERRALS")
    page = client.get(reverse("performance:indicator", args=[indicator.pk])).content.decode()
    assert (SUPPRESSED in page) == (shown == SUPPRESSED)


def test_the_indicator_list_and_the_report_say_whose_cases_and_hide_small_counts(programme, client):
    """Issue 14, defect 3: the indicator list showed a computed count of 1 to every reader, and
    no page said the computed indicators count every case of the programme."""
    computed.refresh(today=TODAY)
    outsider = UserFactory(agency=AgencyFactory(name="Stockport Council"), role=Role.ANALYST)
    client.force_login(outsider)
    listing = client.get(reverse("performance:indicators")).content.decode()
    assert SUPPRESSED in listing
    assert f"count every case of the {programme.name}, held by {programme.lead_agency.name}" in (
        listing
    )
    report = board_report(parse("2023/24 Q2"), today=TODAY, viewer=outsider)
    assert programme.lead_agency.name in report.coverage and "Fewer than 5" in report.coverage
    # The positive control: the lead agency sees its counts on the same page.
    client.force_login(UserFactory(agency=programme.lead_agency, role=Role.ANALYST))
    listing = client.get(reverse("performance:indicators")).content.decode()
    assert SUPPRESSED not in listing and "count every case of the" in listing
