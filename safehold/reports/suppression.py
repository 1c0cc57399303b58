"""Small numbers suppressed, as official statistics are: a count of 1 to 4 cases reads "Fewer
than 5", so that a single case cannot be recognised from an aggregate a partner sees (the
performance framework's computed indicators, the partnership's evaluation figures; ADR 0036)."""

from decimal import Decimal

SMALLEST_SHOWN = 5
SUPPRESSED = "Fewer than 5 (not shown)"


def is_small(count: int | Decimal | None) -> bool:
    """A count of 1 to 4 (none is not small: 0 reveals no one)."""
    return count is not None and 0 < count < SMALLEST_SHOWN


def shown(value):
    """The value as a partner may see it: a small count suppressed, anything else as it is."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return value
    return SUPPRESSED if is_small(value) else value
