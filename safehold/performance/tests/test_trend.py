"""The trend rule, branch by branch, with the edge cases: missing values, breaks, rounding at the
display precision, a tolerance over a previous value of zero, and negative values."""

from decimal import Decimal as D

import pytest

from safehold.performance.choices import Polarity, Trend
from safehold.performance.trend import trend


def rule(latest, previous, *, brk=False, polarity=Polarity.LOWER_BETTER, tolerance=None, places=0):
    return trend(
        latest=None if latest is None else D(latest),
        previous=None if previous is None else D(previous),
        latest_break=brk,
        polarity=polarity,
        tolerance_percent=None if tolerance is None else D(tolerance),
        decimal_places=places,
    ).code


def test_missing_or_unavailable_values_are_not_comparable():
    assert rule(None, "5") == Trend.NOT_COMPARABLE
    assert rule("5", None) == Trend.NOT_COMPARABLE
    assert rule(None, None) == Trend.NOT_COMPARABLE


def test_a_break_in_series_on_the_latest_value_is_not_comparable_even_when_equal():
    assert rule("5", "5", brk=True) == Trend.NOT_COMPARABLE
    assert rule("21", "76", brk=True, polarity=Polarity.HIGHER_BETTER) == Trend.NOT_COMPARABLE


def test_equal_at_the_display_precision_is_no_change():
    assert rule("40.0", "40", places=1) == Trend.NO_CHANGE
    assert rule("39.94", "39.86", places=1) == Trend.NO_CHANGE  # both 39.9
    assert rule("39.95", "39.94", places=1) == Trend.INCREASING_NEGATIVE  # 40.0 v 39.9 (half up)
    assert rule("0.5", "0.4", places=0) == Trend.INCREASING_NEGATIVE  # 1 v 0: half up, not even
    assert rule("2.5", "3.4", places=0) == Trend.NO_CHANGE  # 3 v 3


def test_no_change_comes_before_the_tolerance_and_the_polarity():
    assert rule("100.4", "99.6", tolerance="0", places=0) == Trend.NO_CHANGE


def test_within_the_tolerance_of_the_previous_value():
    # 5% of 63.5 is 3.175: a change of 1.2 is within it, 3.175 exactly too, 3.2 is not.
    assert rule("64.7", "63.5", tolerance="5", places=1) == Trend.WITHIN_RANGE
    assert rule("66.675", "63.5", tolerance="5", places=3) == Trend.WITHIN_RANGE
    assert rule("60.325", "63.5", tolerance="5", places=3) == Trend.WITHIN_RANGE
    assert rule("66.7", "63.5", tolerance="5", places=1, polarity=Polarity.NONE) == (
        Trend.INCREASING_NEUTRAL
    )


def test_within_range_says_which_way_it_moved():
    up = trend(latest=D("64.7"), previous=D("63.5"), latest_break=False, polarity="none",
               tolerance_percent=D(5), decimal_places=1)  # fmt: skip
    down = trend(latest=D("62.3"), previous=D("63.5"), latest_break=False, polarity="none",
                 tolerance_percent=D(5), decimal_places=1)  # fmt: skip
    assert up.words == "Increasing — within acceptable range"
    assert down.words == "Decreasing — within acceptable range"


def test_a_tolerance_over_a_previous_value_of_zero_allows_no_change_at_all():
    # tolerance% of |0| is 0: any displayed change is outside it.
    assert rule("1", "0", tolerance="50") == Trend.INCREASING_NEGATIVE
    assert rule("-1", "0", tolerance="50") == Trend.DECREASING_POSITIVE
    assert rule("0.4", "0", tolerance="50") == Trend.NO_CHANGE  # shown as 0 and 0
    # and a tolerance of 0 is a tolerance: only what rounds equal is spared, by no-change.
    assert rule("10", "9", tolerance="0") == Trend.INCREASING_NEGATIVE


def test_negative_values_use_the_size_of_the_previous_value():
    # 10% of |-50| is 5: -54 is within range, -56 is not, and -56 is decreasing.
    assert rule("-54", "-50", tolerance="10") == Trend.WITHIN_RANGE
    assert rule("-56", "-50", tolerance="10") == Trend.DECREASING_POSITIVE
    assert rule("-44", "-50", tolerance="10", polarity=Polarity.HIGHER_BETTER) == (
        Trend.INCREASING_POSITIVE
    )
    assert rule("-0.4", "0.4", places=0) == Trend.NO_CHANGE  # both shown as 0


@pytest.mark.parametrize(
    ("latest", "previous", "polarity", "expected"),
    [
        ("5", "4", Polarity.HIGHER_BETTER, Trend.INCREASING_POSITIVE),
        ("3", "4", Polarity.HIGHER_BETTER, Trend.DECREASING_NEGATIVE),
        ("5", "4", Polarity.LOWER_BETTER, Trend.INCREASING_NEGATIVE),
        ("3", "4", Polarity.LOWER_BETTER, Trend.DECREASING_POSITIVE),
        ("5", "4", Polarity.NONE, Trend.INCREASING_NEUTRAL),
        ("3", "4", Polarity.NONE, Trend.DECREASING_NEUTRAL),
    ],
)
def test_direction_and_polarity(latest, previous, polarity, expected):
    assert rule(latest, previous, polarity=polarity) == expected
