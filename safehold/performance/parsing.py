"""Reading the figures people type or import: values, counts, tolerances and precision.

Each function returns the parsed value or raises ValueError with a message in Design System
wording (the caller adds the row and column, or shows it beside the field). The same rules
apply on the page and in the CSV files, so a figure that imports can also be typed.
"""

import re
from decimal import Decimal, InvalidOperation

from safehold.performance.choices import MAX_DECIMAL_PLACES, Unit
from safehold.performance.models import VALUE_DIGITS, VALUE_PLACES

NOT_AVAILABLE = {"", "n/a", "na", "not available"}
_PLAIN = re.compile(r"^-?\d+(\.\d+)?$")
_GROUPED = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
_WHOLE = re.compile(r"^(\d+|\d{1,3}(,\d{3})+)$")
LARGEST = Decimal(10) ** (VALUE_DIGITS - VALUE_PLACES)
MAX_TOLERANCE = Decimal(1000)


def _places(number: Decimal) -> int:
    """Decimal places that matter (63.50000 has 1)."""
    return max(0, -number.normalize().as_tuple().exponent)


def _number(text: str, example: str) -> Decimal:
    if not (_PLAIN.match(text) or _GROUPED.match(text)):
        raise ValueError(f"“{text}” is not a number: enter a number like {example}")
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation as exc:  # the patterns above make this unreachable in practice
        raise ValueError(f"“{text}” is not a number: enter a number like {example}") from exc


def parse_value(text: str, unit: str | None) -> Decimal | None:
    """A figure of the indicator's unit; empty, "N/A" or "not available" is None.

    A £ sign is accepted for money and a % sign for percentages (as the published tables write
    them), and thousands separators for any unit. With no unit (an unknown indicator) both
    signs are accepted, so the number itself can still be checked.
    """
    value = " ".join(str(text).split())
    if value.lower() in NOT_AVAILABLE:
        return None
    raw = value
    if value.startswith("£") or value.startswith("-£"):
        if unit is not None and unit != Unit.MONEY:
            raise ValueError(
                f"“{raw}” has a £ sign, but the indicator is a {Unit(unit).label.lower()}: "
                "enter the number only"
            )
        value = value.replace("£", "", 1).strip()
    if value.endswith("%"):
        if unit is not None and unit != Unit.PERCENTAGE:
            raise ValueError(
                f"“{raw}” has a % sign, but the indicator is a {Unit(unit).label.lower()}: "
                "enter the number only"
            )
        value = value[:-1].strip()
    try:
        number = _number(value, "4648 or 63.5")
    except ValueError:
        raise ValueError(
            f"“{raw}” is not a number: enter a number like 4648 or 63.5, or leave it empty if "
            "the figure is not available"
        ) from None
    if _places(number) > VALUE_PLACES:
        raise ValueError(f"enter a number with no more than {VALUE_PLACES} decimal places")
    if abs(number) >= LARGEST:
        raise ValueError(f"“{raw}” is too large: enter a number below {LARGEST:,}")
    return number + 0  # "-0" is 0


def parse_count(text: str) -> int | None:
    """The whole number published beside a rate (like the 77 of "296 (77)"), or None."""
    value = " ".join(str(text).split())
    if value.startswith("(") and value.endswith(")"):
        value = value[1:-1].strip()
    if not value:
        return None
    if not _WHOLE.match(value):
        raise ValueError(
            f"“{text.strip()}” is not a whole number: enter the count as a whole number like "
            "77, or leave it empty"
        )
    return int(value.replace(",", ""))


def parse_tolerance(text: str) -> Decimal | None:
    """The acceptable range in % of the previous value, or None when there is none."""
    value = " ".join(str(text).split()).removesuffix("%").strip()
    if not value:
        return None
    try:
        number = _number(value, "5")
    except ValueError:
        raise ValueError(
            f"“{text.strip()}” is not a number: enter the tolerance as a percentage like 5, "
            "or leave it empty"
        ) from None
    if number < 0:
        raise ValueError("the tolerance must be 0 or more")
    if number > MAX_TOLERANCE:
        raise ValueError(f"the tolerance must be {MAX_TOLERANCE} or less")
    if _places(number) > 3:
        raise ValueError("enter a tolerance with no more than 3 decimal places")
    return number


def parse_decimal_places(text: str) -> int | None:
    """How many decimal places the indicator is shown with (0 to 4), or None for the default."""
    value = str(text).strip()
    if not value:
        return None
    if not value.isdigit() or int(value) > MAX_DECIMAL_PLACES:
        raise ValueError(f"enter a whole number from 0 to {MAX_DECIMAL_PLACES}")
    return int(value)
