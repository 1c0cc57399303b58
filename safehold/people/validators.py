"""UPRN checks (postcodes are checked by safehold/core/postcodes.py, which every app may use)."""

from django.core.exceptions import ValidationError


def validate_uprn(value: str) -> None:
    if value and not (value.isdigit() and 1 <= len(value) <= 12):
        raise ValidationError("UPRN must be a number of up to 12 digits")
