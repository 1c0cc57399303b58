"""UK postcode and UPRN checks. Postcodes are core's (safehold/core/postcodes.py: incident logs
check them too); they are named here as well so that existing imports keep working."""

from django.core.exceptions import ValidationError

from safehold.core.postcodes import POSTCODE_RE, normalise_postcode, validate_postcode

__all__ = ["POSTCODE_RE", "normalise_postcode", "validate_postcode", "validate_uprn"]


def validate_uprn(value: str) -> None:
    if value and not (value.isdigit() and 1 <= len(value) <= 12):
        raise ValidationError("UPRN must be a number of up to 12 digits")
