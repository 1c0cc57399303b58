"""Indicator and value files are checked whole: any problem refuses the whole file, naming its
row and column, and nothing is saved; importing the same file again changes nothing."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from safehold.audit.models import AuditEvent
from safehold.performance.imports import ImportInvalid, import_indicators, import_values
from safehold.performance.models import Indicator, IndicatorValue, Theme, ValueChange

INDICATORS = """code,name,theme,source,unit,polarity,tolerance_percent,frequency
DA-INCIDENTS,Domestic abuse incidents,Protecting Vulnerable People,GMP,count,lower_better,,annual
MARAC-PCT,MARAC cases involving children,Protecting Vulnerable People,SSCB,percentage,none,5,annual
FIRES-Q,Deliberate fires,Public Safety and Protection,GMFRS,count,lower_better,,quarterly
"""
VALUES = """code,period,value,count,break_in_series
DA-INCIDENTS,2015/16,"4,956",,
DA-INCIDENTS,2016/17,4648,,
MARAC-PCT,2015/16,63.5%,,
MARAC-PCT,2016/17,N/A,,
FIRES-Q,2016/17 Q3,27,,yes
"""


@pytest.fixture
def indicators(db):
    import_indicators(data=INDICATORS, by=None)


def _messages(exc) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.message) for e in exc.value.errors]


def _refused(data, importer=import_values):
    before = (
        IndicatorValue.objects.count(),
        ValueChange.objects.count(),
        AuditEvent.objects.count(),
    )
    with pytest.raises(ImportInvalid) as exc:
        importer(data=data, by=None)
    after = (
        IndicatorValue.objects.count(),
        ValueChange.objects.count(),
        AuditEvent.objects.count(),
    )
    assert after == before, "a refused file must save nothing"
    return _messages(exc)


def test_an_indicators_file_defines_indicators_and_their_themes_in_file_order(indicators):
    assert list(Indicator.objects.values_list("code", flat=True)) == [
        "DA-INCIDENTS", "MARAC-PCT", "FIRES-Q",
    ]  # fmt: skip
    assert list(Theme.objects.values_list("name", flat=True)) == [
        "Protecting Vulnerable People", "Public Safety and Protection",
    ]  # fmt: skip
    marac = Indicator.objects.get(code="MARAC-PCT")
    assert (marac.unit, marac.polarity, marac.tolerance_percent) == ("percentage", "none", 5)
    assert marac.decimal_places == 1  # the default for percentages
    assert (
        AuditEvent.objects.filter(object_type="performance.indicator", action="collect").count()
        == 4
    )


def test_a_values_file_enters_every_value(indicators):
    result = import_values(data=VALUES, by=None, file_name="q3.csv")
    assert (result.created, result.changed, result.unchanged) == (5, 0, 0)
    held = {
        (v.indicator.code, v.period): v for v in IndicatorValue.objects.select_related("indicator")
    }
    assert held["DA-INCIDENTS", "2015/16"].value == Decimal("4956")
    assert held["MARAC-PCT", "2015/16"].value == Decimal("63.5")
    assert held["MARAC-PCT", "2016/17"].value is None  # not available
    assert held["FIRES-Q", "2016/17 Q3"].break_in_series
    change = ValueChange.objects.get(indicator_value=held["DA-INCIDENTS", "2016/17"])
    assert (change.method, change.file_name) == ("import", "q3.csv")
    assert AuditEvent.objects.filter(purpose__startswith="DA-INCIDENTS 2016/17: 4648").exists()


def test_importing_the_same_files_again_changes_nothing_and_audits_nothing(indicators):
    import_values(data=VALUES, by=None)
    counts = (Indicator.objects.count(), IndicatorValue.objects.count(), ValueChange.objects.count(),
              Theme.objects.count(), AuditEvent.objects.count())  # fmt: skip
    again = import_indicators(data=INDICATORS, by=None)
    values_again = import_values(data=VALUES, by=None)
    assert (again.created, again.changed, again.unchanged) == (0, 0, 3)
    assert (values_again.created, values_again.changed, values_again.unchanged) == (0, 0, 5)
    assert (Indicator.objects.count(), IndicatorValue.objects.count(), ValueChange.objects.count(),
            Theme.objects.count(), AuditEvent.objects.count()) == counts  # fmt: skip


def test_a_changed_value_keeps_its_history_and_says_what_it_was(indicators):
    import_values(data=VALUES, by=None)
    result = import_values(
        data="code,period,value,count,break_in_series\nDA-INCIDENTS,2016/17,4650,,\n", by=None
    )
    assert (result.created, result.changed) == (0, 1)
    value = IndicatorValue.objects.get(indicator__code="DA-INCIDENTS", period="2016/17")
    assert [c.value for c in value.changes.order_by("created_at")] == [Decimal(4648), Decimal(4650)]
    assert AuditEvent.objects.filter(action="alter", purpose__contains="(was 4648)").exists()


def test_a_bad_values_file_is_refused_whole_with_row_and_column(indicators):
    data = (
        "code,period,value,count,break_in_series\n"
        "DA-INCIDENTS,2016/17,4648,,\n"  # fine: but not saved, since the file is refused
        "NO-SUCH,2016/17,10,,\n"
        "DA-INCIDENTS,2016-17,10,,\n"
        "DA-INCIDENTS,2015/16,about 40,,\n"
        "FIRES-Q,2016/17,10,,\n"
        "MARAC-PCT,2015/16,£12,,\n"
        "DA-INCIDENTS,2014/15,5261,many,maybe\n"
        "MARAC-PCT,2014/15,,12,\n"
    )
    errors = _refused(data)
    by_place = {(row, column): message for row, column, message in errors}
    assert "“NO-SUCH” is not an indicator in Safehold" in by_place[3, "code"]
    assert "“2016-17” is not a period" in by_place[4, "period"]
    assert "“about 40” is not a number" in by_place[5, "value"]
    assert "FIRES-Q is reported quarterly: enter a quarter like 2016/17 Q3" in by_place[6, "period"]
    assert "has a £ sign, but the indicator is a percentage" in by_place[7, "value"]
    assert "“many” is not a whole number" in by_place[8, "count"]
    assert "enter yes, or leave it empty" in by_place[8, "break_in_series"]
    assert "leave count empty when the value is not available" in by_place[9, "count"]
    assert 2 not in {row for row, _, _ in errors}
    assert IndicatorValue.objects.count() == 0


def test_a_control_character_is_refused_with_row_and_column(indicators):
    # A NUL cannot be stored on PostgreSQL; SQLite would have kept it.
    data = VALUES.replace("MARAC-PCT,2016/17,N/A", "MARAC-PCT,2016/17,N\x00/A")
    assert _refused(data) == [
        (5, "value", "contains a NUL character (U+0000), which Safehold does not accept: remove it")
    ]
    named = INDICATORS.replace("Deliberate fires", "Deliberate\x07 fires")
    [(row, column, message)] = _refused(named, importer=import_indicators)
    assert (row, column, "(U+0007)" in message) == (4, "name", True)
    import_values(data=VALUES, by=None)  # the positive control: the clean file imports
    assert IndicatorValue.objects.count() == 5


def test_duplicate_rows_are_refused(indicators):
    data = "code,period,value,count,break_in_series\nDA-INCIDENTS,2016/17,1,,\nda-incidents,2016/17,2,,\n"
    assert _refused(data) == [
        (3, "period", "DA-INCIDENTS 2016/17 is also on row 2: each value must appear once")
    ]


def test_a_comparison_figure_for_another_area_is_not_a_duplicate(indicators):
    data = (
        "code,period,value,count,break_in_series,area\n"
        "DA-INCIDENTS,2016/17,4648,,,\n"
        "DA-INCIDENTS,2016/17,51000,,,greater_manchester\n"
        "DA-INCIDENTS,2016/17,1,,,wales\n"
    )
    assert _refused(data) == [
        (4, "area", "“wales” is not an area: enter one of borough, greater_manchester, national")
    ]
    import_values(data=data.rsplit("DA-INCIDENTS,2016/17,1", 1)[0], by=None)
    assert set(IndicatorValue.objects.values_list("area", flat=True)) == {
        "borough",
        "greater_manchester",
    }


def test_a_file_without_the_columns_or_with_unknown_ones_is_refused(indicators):
    errors = _refused("code,period,value,colour\nDA-INCIDENTS,2016/17,1,red\n")
    assert (1, "colour") in {(r, c) for r, c, _ in errors}
    assert (1, "count", "the header has no count column") in errors
    assert (1, "break_in_series", "the header has no break_in_series column") in errors
    assert _refused("") == [(0, "", "the file is empty: the first row must name the columns")]


def test_a_bad_indicators_file_is_refused_whole_with_row_and_column(indicators):
    data = (
        "code,name,theme,source,unit,polarity,tolerance_percent,frequency\n"
        "NEW-ONE,A new indicator,Reducing Offending,NPS,count,none,,annual\n"
        "BAD CODE,Name,Theme,GMP,count,none,,annual\n"
        "X1,Name,Theme,GMP,pounds,sideways,lots,weekly\n"
        "X2,,,,count,none,-3,annual\n"
        "X1,Again,Theme,GMP,count,none,,annual\n"
        "FIRES-Q,Deliberate fires,Public Safety and Protection,GMFRS,count,lower_better,,annual\n"
    )
    import_values(data=VALUES, by=None)
    before = (Indicator.objects.count(), Theme.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ImportInvalid) as exc:
        import_indicators(data=data, by=None)
    assert (Indicator.objects.count(), Theme.objects.count(), AuditEvent.objects.count()) == before
    places = {(e.row, e.column): e.message for e in exc.value.errors}
    assert "is not a code" in places[3, "code"]
    assert (
        "“pounds” is not a unit: enter one of count, percentage, rate_per_1000" in places[4, "unit"]
    )
    assert (
        "“sideways” is not a polarity: enter one of higher_better, lower_better, none"
        in places[4, "polarity"]
    )
    assert "“lots” is not a number" in places[4, "tolerance_percent"]
    assert (
        "“weekly” is not a frequency: enter one of annual, quarterly, monthly"
        in places[4, "frequency"]
    )
    assert places[5, "name"] == "enter the indicator's name"
    assert places[5, "tolerance_percent"] == "the tolerance must be 0 or more"
    assert "X1 is also on row 4" in places[6, "code"]
    assert (
        "FIRES-Q already has values reported quarterly: its frequency cannot change"
        in places[7, "frequency"]
    )
    assert not Indicator.objects.filter(code="NEW-ONE").exists()


def test_a_changed_definition_is_saved_and_audited_with_the_fields_changed(indicators):
    changed = INDICATORS.replace(
        "MARAC-PCT,MARAC cases involving children,Protecting Vulnerable People,SSCB,percentage,none,5",
        "MARAC-PCT,MARAC cases involving children,Protecting Vulnerable People,SSCB,percentage,none,2.5",
    )
    result = import_indicators(data=changed, by=None)
    assert (result.created, result.changed, result.unchanged) == (0, 1, 2)
    assert Indicator.objects.get(code="MARAC-PCT").tolerance_percent == Decimal("2.5")
    assert AuditEvent.objects.filter(
        action="alter", purpose="indicator MARAC-PCT changed: tolerance_percent 2.5"
    ).exists()


def test_the_command_line_imports_and_names_every_problem(indicators, tmp_path, capsys):
    good = tmp_path / "values.csv"
    good.write_text(VALUES)
    call_command("kpi", "import-values", str(good))
    assert "5 new, 0 changed, 0 unchanged" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text("code,period,value,count,break_in_series\nDA-INCIDENTS,2016/17,4x,,\n")
    with pytest.raises(CommandError, match=r"Row 2, value: “4x” is not a number"):
        call_command("kpi", "import-values", str(bad))
