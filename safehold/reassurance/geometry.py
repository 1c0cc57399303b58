"""Where addresses are and how far apart: British National Grid metres (ADR 0043).

Places Safehold holds have WGS84 latitude and longitude; partners' property lists give eastings
and northings (or latitude and longitude, projected on import). Every distance is measured on
the National Grid, where a metre is a metre to within 0.04% across Greater Manchester, so
`distance_m` is plain Pythagoras. The walking list sorts addresses by street, then by house
number as a number (2 before 10, 12 before 12A before 13).
"""

import math
import re
from dataclasses import dataclass
from functools import cache

from pyproj import Transformer

CIRCLE_POINTS = 64


@cache
def _to_bng() -> Transformer:
    return Transformer.from_crs(4326, 27700, always_xy=True)


@cache
def _from_bng() -> Transformer:
    return Transformer.from_crs(27700, 4326, always_xy=True)


def to_bng(latitude: float, longitude: float) -> tuple[float, float]:
    """(easting, northing) in metres of a WGS84 point."""
    return _to_bng().transform(float(longitude), float(latitude))


def to_wgs84(easting: float, northing: float) -> tuple[float, float]:
    """(latitude, longitude) in degrees, 6 places (about 0.1 m), of a National Grid point."""
    lon, lat = _from_bng().transform(float(easting), float(northing))
    return round(lat, 6), round(lon, 6)


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Metres between two National Grid points."""
    return math.hypot(a[0] - b[0], a[1] - b[1])


def circle(centre: tuple[float, float], radius_m: float) -> list[list[float]]:
    """A ring of [longitude, latitude] points `radius_m` from a National Grid centre."""
    ring = []
    for i in range(CIRCLE_POINTS + 1):
        angle = 2 * math.pi * (i % CIRCLE_POINTS) / CIRCLE_POINTS
        lat, lon = to_wgs84(
            centre[0] + radius_m * math.cos(angle), centre[1] + radius_m * math.sin(angle)
        )
        ring.append([lon, lat])
    return ring


# "Flat 3, 12A Mottram Road": the first part that starts with a number names the street.
_NUMBERED = re.compile(r"^\s*(\d+)\s*([A-Za-z]?)\b[\s,]*(.*)$")


@dataclass(frozen=True, order=True)
class StreetKey:
    """How the walking list orders addresses: street, number, letter, then the whole address."""

    street: str
    number: int
    suffix: str
    address: str


NO_NUMBER = 10**9  # unnumbered addresses (a named house) come after the street's numbers


def street_and_number(address_line_1: str, address_line_2: str = "") -> tuple[str, int | None, str]:
    """(street, house number, letter) of an address: the first part (of line 1, then line 2)
    that starts with a number; else line 1 itself, without a number."""
    parts = [p for line in (address_line_1, address_line_2) for p in line.split(",") if p.strip()]
    for part in parts:
        match = _NUMBERED.match(part)
        if match and match.group(3).strip():
            return match.group(3).strip(), int(match.group(1)), match.group(2).upper()
    if len(parts) > 1:  # "Rose Cottage, Mill Lane": the street is the last part
        return parts[-1].strip(), None, ""
    return (parts[0].strip() if parts else ""), None, ""


def street_key(address_line_1: str, address_line_2: str, one_line: str) -> StreetKey:
    street, number, suffix = street_and_number(address_line_1, address_line_2)
    return StreetKey(
        street.casefold(), NO_NUMBER if number is None else number, suffix, one_line.casefold()
    )
