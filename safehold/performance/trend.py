"""The trend rule: how the latest value of an indicator compares with the one before.

One function, `trend`, applies the tests in the order RULE states (it is printed on every
board report), so a reader can check any arrow by hand.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from safehold.performance.choices import Polarity, Trend

RULE = [
    "Each trend compares the latest period with the period before it, applying these tests "
    "in order.",
    "Not comparable: either value is missing or not available, or the latest value is a break "
    "in series (the measure's definition changed).",
    "No change: the two values are equal when both are rounded (half up) to the number of "
    "decimal places the indicator is shown with.",
    "Within acceptable range: the indicator has a tolerance and the difference between the "
    "values is no more than that percentage of the earlier value.",
    "Otherwise increasing or decreasing: a positive trend when the indicator moved the way "
    "that is better for it (higher is better, or lower is better), a negative trend when it "
    "moved the other way, and no specific polarity when neither way is better.",
]


@dataclass(frozen=True)
class TrendResult:
    """The rule's answer, and which way the value moved (none when it did not or cannot)."""

    code: Trend
    direction: str = ""  # "increasing", "decreasing" or ""

    @property
    def words(self) -> str:
        if self.code == Trend.WITHIN_RANGE:
            return f"{self.direction.capitalize()} — within acceptable range"
        return str(Trend(self.code).label)


def at_precision(value: Decimal, decimal_places: int) -> Decimal:
    """The value as shown: rounded half up (away from zero at .5) to the given places."""
    return value.quantize(Decimal(1).scaleb(-decimal_places), rounding=ROUND_HALF_UP)


def trend(
    *,
    latest: Decimal | None,
    previous: Decimal | None,
    latest_break: bool,
    polarity: str,
    tolerance_percent: Decimal | None,
    decimal_places: int,
) -> TrendResult:
    """Apply RULE to two consecutive values of one indicator."""
    if latest is None or previous is None or latest_break:
        return TrendResult(Trend.NOT_COMPARABLE)
    if at_precision(latest, decimal_places) == at_precision(previous, decimal_places):
        return TrendResult(Trend.NO_CHANGE)
    # The displayed values differ, so the exact values differ the same way (rounding keeps order).
    direction = "increasing" if latest > previous else "decreasing"
    # |latest - previous| <= tolerance% of |previous|, without dividing (exact in Decimal).
    if tolerance_percent is not None and abs(latest - previous) * 100 <= tolerance_percent * abs(
        previous
    ):
        return TrendResult(Trend.WITHIN_RANGE, direction)
    if polarity == Polarity.NONE:
        return TrendResult(Trend(f"{direction}-neutral"), direction)
    better = "increasing" if polarity == Polarity.HIGHER_BETTER else "decreasing"
    return TrendResult(
        Trend(f"{direction}-{'positive' if direction == better else 'negative'}"), direction
    )
