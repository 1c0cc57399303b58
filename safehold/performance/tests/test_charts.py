"""The history chart and the trend symbol: the same figures as the table, labelled, and the
symbol never without its words."""

from decimal import Decimal

from django.template.loader import render_to_string

from safehold.performance.choices import Trend
from safehold.performance.periods import parse
from safehold.performance.report import board_report
from safehold.performance.templatetags.performance import PLOT, TOP, history_chart, trend_symbol
from safehold.performance.tests.factories import IndicatorFactory, IndicatorValueFactory
from safehold.performance.trend import TrendResult


def _row(values, **indicator):
    made = IndicatorFactory(**indicator)
    for year, value in values.items():
        IndicatorValueFactory(
            indicator=made, period=f"{year}/{(year + 1) % 100:02d}",
            period_start=f"{year}-04-01", value=value,
        )  # fmt: skip
    rows = board_report(parse("2016/17"), refresh=False).rows
    return next(row for row in rows if row.indicator == made)


def test_each_period_is_a_labelled_bar_or_marked_not_available(db):
    row = _row({2014: None, 2015: Decimal("1170238"), 2016: Decimal("20857")}, unit="money")
    chart = history_chart(row, "c")
    assert [b["label"] for b in chart["bars"]] == ["N/A", "£1,170,238", "£20,857"]
    assert [b["period"] for b in chart["bars"]] == ["2014/15", "2015/16", "2016/17"]
    assert chart["bars"][0]["bar"] is None
    tall, short = (Decimal(b["bar"]["height"]) for b in chart["bars"][1:])
    assert tall == PLOT and short == Decimal("1.4")  # 20,857 / 1,170,238 of the height
    html = render_to_string("performance/_history_chart.html", chart)
    assert html.count("<rect") == 2 and 'role="img"' in html and "<title" in html


def test_negative_figures_hang_below_the_zero_line_and_all_zero_sits_on_the_foot(db):
    chart = history_chart(_row({2015: Decimal(-5), 2016: Decimal(15)}, decimal_places=0), "c")
    assert Decimal(chart["zero"]) == TOP + PLOT * Decimal("0.75")
    below = chart["bars"][-2]["bar"]
    assert Decimal(below["y"]) == Decimal(chart["zero"])
    flat = history_chart(_row({2015: Decimal(0), 2016: Decimal(0)}), "d")
    assert Decimal(flat["zero"]) == TOP + PLOT


def test_the_trend_symbol_always_has_its_words_and_hides_the_picture_from_screen_readers():
    for code in Trend:
        direction = "" if code in (Trend.NO_CHANGE, Trend.NOT_COMPARABLE) else "increasing"
        result = TrendResult(code, direction)
        html = render_to_string("performance/_trend.html", trend_symbol(result))
        assert 'aria-hidden="true"' in html
        assert html.rstrip().endswith(f"{result.words}</span>")
