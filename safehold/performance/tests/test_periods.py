"""Periods are parsed strictly, labelled canonically and ordered by the dates they cover."""

import datetime

import pytest

from safehold.performance.choices import Frequency
from safehold.performance.periods import (
    PeriodError,
    containing,
    latest_ending_by,
    parse,
    parse_for,
)


@pytest.mark.parametrize(
    ("text", "frequency", "start", "end", "label"),
    [
        ("2016/17", "annual", (2016, 4, 1), (2017, 3, 31), "2016/17"),
        ("1999/00", "annual", (1999, 4, 1), (2000, 3, 31), "1999/00"),
        ("2016/17 Q1", "quarterly", (2016, 4, 1), (2016, 6, 30), "2016/17 Q1"),
        ("2016/17 Q3", "quarterly", (2016, 10, 1), (2016, 12, 31), "2016/17 Q3"),
        ("2016/17  q4", "quarterly", (2017, 1, 1), (2017, 3, 31), "2016/17 Q4"),
        ("2016/17Q2", "quarterly", (2016, 7, 1), (2016, 9, 30), "2016/17 Q2"),
        ("2017-01", "monthly", (2017, 1, 1), (2017, 1, 31), "2017-01"),
        ("2016-02", "monthly", (2016, 2, 1), (2016, 2, 29), "2016-02"),
    ],
)
def test_periods_parse_to_their_dates_and_canonical_label(text, frequency, start, end, label):
    period = parse(text)
    assert period.frequency == frequency
    assert period.start == datetime.date(*start)
    assert period.end == datetime.date(*end)
    assert period.label == label
    assert parse(period.label) == period


@pytest.mark.parametrize(
    "text",
    ["", "2016", "2016/18", "2016-17", "16/17", "2016/17 Q5", "2016/17 Q0", "2017-13", "2017-1",
     "2017-00", "Q3 2016/17", "2016/17 Q", "next year", "0999/00"],
)  # fmt: skip
def test_anything_else_is_refused_with_what_to_enter(text):
    with pytest.raises(PeriodError):
        parse(text)


def test_a_period_must_match_the_indicators_frequency():
    assert parse_for("2016/17 Q3", Frequency.QUARTERLY).label == "2016/17 Q3"
    with pytest.raises(PeriodError, match="a quarter like 2016/17 Q3"):
        parse_for("2016/17", Frequency.QUARTERLY, "DA-INCIDENTS")
    with pytest.raises(PeriodError, match="DA-INCIDENTS is reported annual"):
        parse_for("2017-01", Frequency.ANNUAL, "DA-INCIDENTS")


def test_the_period_before_is_of_the_same_kind_across_year_ends():
    assert parse("2016/17").previous == parse("2015/16")
    assert parse("2016/17 Q1").previous == parse("2015/16 Q4")
    assert parse("2017-01").previous == parse("2016-12")
    assert parse("2016/17 Q4").shift(1) == parse("2017/18 Q1")


def test_periods_containing_a_day_and_the_last_one_ended():
    day = datetime.date(2017, 2, 14)
    assert containing(Frequency.ANNUAL, day) == parse("2016/17")
    assert containing(Frequency.QUARTERLY, day) == parse("2016/17 Q4")
    assert containing(Frequency.MONTHLY, day) == parse("2017-02")
    assert latest_ending_by(Frequency.QUARTERLY, day) == parse("2016/17 Q3")
    assert latest_ending_by(Frequency.QUARTERLY, datetime.date(2016, 12, 31)) == parse("2016/17 Q3")
    assert latest_ending_by(Frequency.ANNUAL, datetime.date(2017, 3, 31)) == parse("2016/17")


def test_ordering_by_end_puts_a_year_after_its_last_quarter_and_month():
    periods = [parse("2016/17"), parse("2017-03"), parse("2016/17 Q4"), parse("2016/17 Q3")]
    assert [p.label for p in sorted(periods, key=lambda p: p.sort_key)] == [
        "2016/17 Q3", "2017-03", "2016/17 Q4", "2016/17",
    ]  # fmt: skip
