"""How figures are written on pages, PDFs and spreadsheets: as the published report writes them
("5,261", "63.5%", "£1,170,238", "296 (77)", "N/A"), rounded half up to the indicator's places."""

from decimal import Decimal

from safehold.performance.choices import Unit
from safehold.performance.trend import at_precision

NOT_AVAILABLE = "N/A"


def number(value: Decimal, unit: str, decimal_places: int) -> str:
    shown = at_precision(value, decimal_places)
    if shown == 0:
        shown = abs(shown)  # never "-0.0"
    text = f"{abs(shown):,f}"
    sign = "-" if shown < 0 else ""
    if unit == Unit.MONEY:
        return f"{sign}£{text}"
    if unit == Unit.PERCENTAGE:
        return f"{sign}{text}%"
    return f"{sign}{text}"


def figure(value: Decimal | None, count: int | None, unit: str, decimal_places: int) -> str:
    """The value with the count beside it, as published: "296 (77)"; "N/A" when not available."""
    if value is None:
        return NOT_AVAILABLE
    text = number(value, unit, decimal_places)
    return f"{text} ({count:,})" if count is not None else text


def exact(value: Decimal | None, decimal_places: int) -> str | None:
    """The stored value as a string for files: at the indicator's places ("64.7"), or with every
    place it was entered with when that is more ("12.3456" shown to 1 place)."""
    if value is None:
        return None
    shown = value.quantize(Decimal(1).scaleb(-decimal_places))
    if shown == value:
        return f"{shown:f}" if shown != 0 else f"{abs(shown):f}"
    return f"{value.normalize():f}"
