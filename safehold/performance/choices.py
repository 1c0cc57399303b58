"""The codes of the performance framework: units, polarity, frequency, areas and trends.

The codes are the ones the CSV files use (docs/formats/kpi-indicators-csv.md and
kpi-values-csv.md); the labels are what pages and reports show.
"""

from django.db import models


class Unit(models.TextChoices):
    COUNT = "count", "Count"
    PERCENTAGE = "percentage", "Percentage"
    RATE_PER_1000 = "rate_per_1000", "Rate per 1,000 population"
    RATE_PER_100000 = "rate_per_100000", "Rate per 100,000 population"
    MONEY = "money", "Money (£)"


# The display precision a new indicator gets when none is given, as the published report shows
# each kind of figure (5,261; 63.5%; 52.78 per 1,000; 258 per 100,000; £1,170,238).
DEFAULT_DECIMAL_PLACES = {
    Unit.COUNT: 0,
    Unit.PERCENTAGE: 1,
    Unit.RATE_PER_1000: 2,
    Unit.RATE_PER_100000: 0,
    Unit.MONEY: 0,
}
MAX_DECIMAL_PLACES = 4  # values are stored to 4 places


class Polarity(models.TextChoices):
    HIGHER_BETTER = "higher_better", "Higher is better"
    LOWER_BETTER = "lower_better", "Lower is better"
    NONE = "none", "No polarity"


class Frequency(models.TextChoices):
    ANNUAL = "annual", "Annual (financial year)"
    QUARTERLY = "quarterly", "Quarterly"
    MONTHLY = "monthly", "Monthly"


class Area(models.TextChoices):
    """Whose figure a value is: the borough's own, or a comparison figure for a wider area."""

    BOROUGH = "borough", "Borough"
    GREATER_MANCHESTER = "greater_manchester", "Greater Manchester"
    NATIONAL = "national", "England and Wales"


COMPARISON_AREAS = [Area.GREATER_MANCHESTER, Area.NATIONAL]


class Trend(models.TextChoices):
    NOT_COMPARABLE = "not-comparable", "Not comparable"
    NO_CHANGE = "no-change", "No change"
    WITHIN_RANGE = "within-range", "Within acceptable range"
    INCREASING_POSITIVE = "increasing-positive", "Increasing — positive trend"
    DECREASING_POSITIVE = "decreasing-positive", "Decreasing — positive trend"
    INCREASING_NEGATIVE = "increasing-negative", "Increasing — negative trend"
    DECREASING_NEGATIVE = "decreasing-negative", "Decreasing — negative trend"
    INCREASING_NEUTRAL = "increasing-neutral", "Increasing — no specific polarity"
    DECREASING_NEUTRAL = "decreasing-neutral", "Decreasing — no specific polarity"


class EntryMethod(models.TextChoices):
    """How a value came in, for its history."""

    FORM = "form", "Entered on the page"
    IMPORT = "import", "Imported from a file"
    COMPUTED = "computed", "Computed by Safehold"
