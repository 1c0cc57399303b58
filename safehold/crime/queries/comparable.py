"""The arithmetic of "did it work?" (ADR 45), on plain numbers so it can be checked by hand:
choosing comparable areas by their level and trend before an intervention, and the change
figures (on the same months a year before; against the comparable areas, as a difference in
differences). The store's side is `queries.before_after`."""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

COMPARABLE_AREAS = 5  # k: how many comparable areas are chosen


@dataclass(frozen=True)
class Level:
    """An area's level and trend over the months before an intervention: the mean of its
    monthly rates per 1,000 residents, and the least-squares slope of those rates (change per
    month)."""

    mean: float
    slope: float


@dataclass(frozen=True)
class Match:
    """A comparable area: its code, its level and trend before, and how far it is from the
    area studied (0 is the same level and trend)."""

    code: str
    level: Level
    distance: float


@dataclass(frozen=True)
class Change:
    """A count now against a count to compare with: the difference and the percentage."""

    before: int | float | None
    after: int | float | None
    change: int | float | None
    change_percent: float | None


@dataclass(frozen=True)
class Difference:
    """The area's change against the comparable areas' (rates per 1,000 residents a month):
    each one's mean rate before and after, the difference in differences, and what the area's
    rate after would have been had it changed as the comparable areas did (its rate before
    times theirs after over theirs before) with the area's actual rate against that."""

    area_before: float
    area_after: float
    comparison_before: float
    comparison_after: float
    difference_in_differences: float
    expected_after: float | None
    against_expected_percent: float | None


def level_of(rates: Sequence[float]) -> Level:
    """The mean and least-squares slope of monthly rates (the months taken as 0, 1, 2, …)."""
    n = len(rates)
    if n == 0:
        raise ValueError("no months to measure")
    mean = sum(rates) / n
    if n == 1:
        return Level(mean, 0.0)
    centre = (n - 1) / 2
    spread = sum((i - centre) ** 2 for i in range(n))
    slope = sum((i - centre) * (r - mean) for i, r in enumerate(rates)) / spread
    return Level(mean, slope)


def _spread(values: Sequence[float]) -> float:
    """The standard deviation of values (the population's), or 1 when they do not vary, so a
    measure all candidates share does not divide by zero and counts for nothing."""
    mean = sum(values) / len(values)
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
    return sd or 1.0


def nearest(
    area: Sequence[float],
    candidates: Mapping[str, Sequence[float]],
    k: int = COMPARABLE_AREAS,
) -> list[Match]:
    """The k candidates whose monthly rates before the intervention are nearest the area's in
    level and trend: the distance is the square root of the sum of the squared differences of
    the mean and of the slope, each divided by its standard deviation across the candidates
    (so a difference in level and one in trend weigh alike). Ties go to the lower code."""
    if not candidates:
        return []
    target = level_of(area)
    levels = {code: level_of(rates) for code, rates in candidates.items()}
    mean_sd = _spread([lv.mean for lv in levels.values()])
    slope_sd = _spread([lv.slope for lv in levels.values()])
    matches = [
        Match(
            code,
            lv,
            math.hypot((lv.mean - target.mean) / mean_sd, (lv.slope - target.slope) / slope_sd),
        )
        for code, lv in levels.items()
    ]
    return sorted(matches, key=lambda m: (m.distance, m.code))[:k]


def change(before: int | float | None, after: int | float | None) -> Change:
    """`after` against `before` (None for either when it is not known; no percentage of 0)."""
    if before is None or after is None:
        return Change(before, after, None, None)
    percent = (after - before) * 100 / before if before else None
    return Change(before, after, after - before, percent)


def difference_in_differences(
    *,
    area_before: Sequence[float],
    area_after: Sequence[float],
    comparison_before: Sequence[float],
    comparison_after: Sequence[float],
) -> Difference:
    """The area's change in mean monthly rate less the comparison group's change in its mean
    monthly rate over the same months, and the area's rate after against what the comparison
    group's relative change predicts for it."""
    a_before, a_after = _mean(area_before), _mean(area_after)
    c_before, c_after = _mean(comparison_before), _mean(comparison_after)
    expected = a_before * c_after / c_before if c_before else None
    return Difference(
        area_before=a_before,
        area_after=a_after,
        comparison_before=c_before,
        comparison_after=c_after,
        difference_in_differences=(a_after - a_before) - (c_after - c_before),
        expected_after=expected,
        against_expected_percent=(a_after - expected) * 100 / expected if expected else None,
    )


def _mean(values: Sequence[float]) -> float:
    if not values:
        raise ValueError("no months to average")
    return sum(values) / len(values)


def rate(count: int, population: int) -> float:
    """A count per 1,000 residents."""
    return count * 1000 / population
