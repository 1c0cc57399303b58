"""UK postcodes: their shape and one way of writing them. In core because casework (people,
cases) and analytics (partner incident logs) both check postcodes, and neither may import the
other."""

import re

from django.core.exceptions import ValidationError

# The shape of a UK postcode (outward code, space, inward code), per the ONS/Royal Mail format.
POSTCODE_RE = re.compile(
    r"^(GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKMNPR-Y]? ?[0-9][ABD-HJLNP-UW-Z]{2})$"
)


def normalise_postcode(value: str) -> str:
    """Upper case with one space before the inward code: 'sk1 3xe' -> 'SK1 3XE'."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if len(compact) < 5:
        return compact
    return f"{compact[:-3]} {compact[-3:]}"


def validate_postcode(value: str) -> None:
    if value and not POSTCODE_RE.match(normalise_postcode(value)):
        raise ValidationError("Enter a real postcode, like SK1 3XE")
