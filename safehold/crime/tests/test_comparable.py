"""The arithmetic of "did it work?" on hand-made numbers, each answer worked out by hand in
the test (ADR 45): the level and trend of a series, the choice of comparable areas, the change
on a year before and the difference in differences."""

import math

import pytest

from safehold.crime.queries.comparable import (
    Level,
    change,
    difference_in_differences,
    level_of,
    nearest,
    rate,
)


def test_the_level_is_the_mean_and_the_trend_the_least_squares_slope():
    assert level_of([1, 2, 3]) == Level(2, 1)
    assert level_of([4, 4, 4, 4]) == Level(4, 0)
    # x centred: -1, 0, 1; y - mean: -1, 1, 0; sum of products 1, over sum of squares 2.
    assert level_of([2, 4, 3]) == Level(3, 0.5)
    # One month has a level but no trend.
    assert level_of([7]) == Level(7, 0)


def test_a_series_with_no_months_has_no_level():
    with pytest.raises(ValueError, match="no months"):
        level_of([])


def test_the_nearest_areas_in_level_and_trend_are_chosen_each_measure_scaled_by_its_spread():
    candidates = {
        "A": [1, 2, 3],  # level 2, trend 1: the same as the area
        "B": [2, 2, 2],  # level 2, trend 0
        "C": [10, 11, 12],  # level 11, trend 1
        "D": [3, 2, 1],  # level 2, trend -1
    }
    # Levels 2, 2, 11, 2: mean 4.25, deviations -2.25 (x3) and 6.75, so the standard deviation
    # is sqrt((3 * 5.0625 + 45.5625) / 4) = sqrt(15.1875). Trends 1, 0, 1, -1: mean 0.25,
    # squared deviations 0.5625, 0.0625, 0.5625, 1.5625, so sqrt(2.75 / 4) = sqrt(0.6875).
    level_sd, trend_sd = math.sqrt(15.1875), math.sqrt(0.6875)
    found = nearest([1, 2, 3], candidates, k=3)
    assert [m.code for m in found] == ["A", "B", "C"]
    assert found[0].distance == 0
    assert found[1].distance == pytest.approx(1 / trend_sd)
    assert found[2].distance == pytest.approx(9 / level_sd)
    # D is as far in trend as C is in level, but the trends vary less: D is further.
    assert nearest([1, 2, 3], candidates, k=4)[3].distance == pytest.approx(2 / trend_sd)


def test_ties_go_to_the_lower_code_and_k_limits_the_choice():
    found = nearest([5, 5], {"Z": [4, 4], "Y": [6, 6], "X": [9, 9]}, k=2)
    assert [m.code for m in found] == ["Y", "Z"]


def test_when_every_candidate_has_the_same_trend_the_level_alone_decides():
    # Every slope is 0: its spread is taken as 1, and the level decides.
    found = nearest([3, 3], {"far": [9, 9], "near": [4, 4], "mid": [6, 6]}, k=3)
    assert [m.code for m in found] == ["near", "mid", "far"]


def test_no_candidates_choose_none():
    assert nearest([1, 2], {}) == []


def test_the_change_is_the_difference_and_its_percentage_of_before():
    c = change(80, 60)
    assert (c.change, c.change_percent) == (-20, -25)
    up = change(4, 5)
    assert (up.change, up.change_percent) == (1, 25)
    # Nothing before: a change, but no percentage of nothing.
    assert change(0, 3).change == 3
    assert change(0, 3).change_percent is None
    assert change(None, 3).change is None


def test_the_difference_in_differences_takes_the_comparison_groups_change_from_the_areas():
    d = difference_in_differences(
        area_before=[2, 2], area_after=[1, 1], comparison_before=[4, 4], comparison_after=[4, 2]
    )
    # The area fell by 1 (2 to 1); the comparison group by 1 (4 to 3): no difference.
    assert (d.area_before, d.area_after, d.comparison_before, d.comparison_after) == (2, 1, 4, 3)
    assert d.difference_in_differences == 0
    # Had the area fallen by the group's quarter, it would be at 1.5; it is at 1, a third less.
    assert d.expected_after == 1.5
    assert d.against_expected_percent == pytest.approx(-100 / 3)


def test_an_area_that_rose_while_its_comparison_fell_has_a_positive_difference():
    d = difference_in_differences(
        area_before=[1, 3], area_after=[3, 3], comparison_before=[5], comparison_after=[4]
    )
    # Area 2 -> 3 (+1), group 5 -> 4 (-1): +2; expected 2 * 4 / 5 = 1.6, actual 3: +87.5%.
    assert d.difference_in_differences == 2
    assert d.expected_after == pytest.approx(1.6)
    assert d.against_expected_percent == pytest.approx(87.5)


def test_a_comparison_group_with_nothing_before_has_no_expected_figure():
    d = difference_in_differences(
        area_before=[1], area_after=[2], comparison_before=[0], comparison_after=[1]
    )
    assert d.difference_in_differences == 0
    assert d.expected_after is None
    assert d.against_expected_percent is None


def test_a_rate_is_per_1000_residents():
    assert rate(3, 1500) == 2
