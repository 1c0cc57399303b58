"""Placing an incident given by postcode instead of coordinates: the geography app's postcode
points (ADR 0037): the SK postcode area shipped with Safehold and any postcodes an
administrator loaded (`safehold postcodes load FILE`, or the Postcode points page). Only full
postcodes place an incident; see docs/formats/incidents-csv.md.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from safehold.geography import postcodes
from safehold.geography.postcodes import Place
from safehold.hotspots.grid import BNG_AREA_OF_USE

__all__ = ["Place", "PostcodeLookup", "current_lookup", "in_great_britain"]


def in_great_britain(latitude: float, longitude: float) -> bool:
    """Inside the area where EPSG defines British National Grid (GB and its waters)."""
    west, south, east, north = BNG_AREA_OF_USE
    return south <= latitude <= north and west <= longitude <= east


@dataclass(frozen=True)
class PostcodeLookup:
    """The postcode points in use, described for the import's messages."""

    description: str

    def find(self, wanted: Iterable[str]) -> dict[str, Place]:
        """The places of those of `wanted` (normalised, like "SK1 1EB") that are known."""
        return postcodes.find(wanted)


def current_lookup(data_dir=None) -> PostcodeLookup:
    return PostcodeLookup(postcodes.coverage().description)
