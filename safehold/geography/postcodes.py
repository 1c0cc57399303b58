"""Where postcodes are, and the areas they lie in today (ADR 0037).

Two sources, one answer: the postcode points loaded into the database from files an
administrator gave (`PostcodePoint`: `safehold postcodes load FILE` or the upload page), and
the SK postcode area shipped with Safehold (OS Code-Point Open 2014, `data/postcodes/`, read on
demand and kept in memory). A loaded postcode wins over a shipped one, so a newer file corrects
the 2014 points. A postcode's LSOA (2021) is found from its point with the shipped boundaries
(`placement`), and its ward is that LSOA's ward, so places are in today's areas whatever year
the points are from.

Used by casework (the place and referral address look-up) and analytics (incident logs given by
postcode), which may not import each other: both import this.
"""

import csv
import gzip
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from pyproj import Transformer

from safehold.core.postcodes import POSTCODE_RE, normalise_postcode
from safehold.geography.boundaries import shipped_in_metres
from safehold.geography.models import Lsoa, PostcodePoint
from safehold.geography.placement import Placer

SHIPPED_FILE = (
    Path(__file__).resolve().parent / "data" / "postcodes" / "sk_codepoint_open_2014.csv.gz"
)
SHIPPED_NAME = "OS Code-Point Open 2014, SK postcode area (shipped with Safehold)"
ATTRIBUTION = (
    "Contains OS data © Crown copyright and database right 2014. Contains Royal Mail data © "
    "Royal Mail copyright and database right 2014. Contains National Statistics data © Crown "
    "copyright and database right 2014."
)
FROM_BNG = Transformer.from_crs(27700, 4326, always_xy=True)
BATCH = 500  # postcodes per query: well under SQLite's limit of bound parameters


@dataclass(frozen=True)
class Place:
    """Where a postcode is: WGS84 degrees and British National Grid metres, and which source
    said so."""

    latitude: float
    longitude: float
    easting: float
    northing: float
    source: str = SHIPPED_NAME


@dataclass(frozen=True)
class Found:
    """A postcode looked up for a form: its point, and the LSOA and ward it lies in when they
    are among the partnership's areas (None otherwise)."""

    postcode: str
    place: Place
    lsoa: Lsoa | None

    @property
    def ward(self):
        return self.lsoa.ward if self.lsoa else None


def to_wgs84(easting, northing) -> tuple[np.ndarray, np.ndarray]:
    """Longitudes and latitudes (degrees, 6 places: about 0.1 m) of BNG points."""
    lon, lat = FROM_BNG.transform(np.asarray(easting, float), np.asarray(northing, float))
    return np.round(lon, 6), np.round(lat, 6)


@cache
def shipped_points() -> dict[str, tuple[int, int]]:
    """The shipped SK postcodes: postcode -> (easting, northing). Read once per process."""
    with gzip.open(SHIPPED_FILE, "rt", encoding="ascii", newline="") as f:
        reader = csv.reader(f)
        next(reader)
        return {row[0]: (int(row[1]), int(row[2])) for row in reader}


def find(postcodes: Iterable[str]) -> dict[str, Place]:
    """The places of those of `postcodes` (any spacing or case) that a loaded file or the
    shipped extract holds, by normalised postcode ("SK1 3XE")."""
    wanted = sorted({normalise_postcode(p) for p in postcodes if p} - {""})
    found: dict[str, Place] = {}
    for start in range(0, len(wanted), BATCH):
        for p in PostcodePoint.objects.filter(postcode__in=wanted[start : start + BATCH]):
            found[p.postcode] = Place(p.latitude, p.longitude, p.easting, p.northing, p.source)
    shipped = shipped_points()
    rest = [p for p in wanted if p not in found and p in shipped]
    if rest:
        east = [shipped[p][0] for p in rest]
        north = [shipped[p][1] for p in rest]
        lon, lat = to_wgs84(east, north)
        for p, e, n, x, y in zip(rest, east, north, lon, lat, strict=True):
            found[p] = Place(float(y), float(x), float(e), float(n))
    return found


@cache
def _placer() -> Placer:
    """Greater Manchester's LSOA 2021 boundaries, as shipped: the partnership's areas (the
    wards and LSOAs of casework are Stockport's), with no file of the analytics store needed."""
    codes, shapes = shipped_in_metres()
    return Placer(codes, shapes, [], np.empty((0, 2)))


def lsoa_codes_at(longitude: list[float], latitude: list[float]) -> list[str | None]:
    """The LSOA 2021 code each point lies in (None outside Greater Manchester)."""
    return _placer().place(np.asarray(longitude), np.asarray(latitude)).codes


def shipped_postcodes_by_lsoa() -> dict[str, list[str]]:
    """The shipped postcodes each Greater Manchester LSOA 2021 holds (by its code), sorted:
    for the demo, whose invented people live at real postcodes of their LSOA."""
    shipped = shipped_points()
    names = sorted(shipped)
    lon, lat = to_wgs84([shipped[p][0] for p in names], [shipped[p][1] for p in names])
    by_lsoa: dict[str, list[str]] = {}
    for postcode, code in zip(names, lsoa_codes_at(list(lon), list(lat)), strict=True):
        if code:
            by_lsoa.setdefault(code, []).append(postcode)
    return by_lsoa


def look_up(postcode: str) -> Found | None:
    """A postcode for a form: its point and the partnership's LSOA and ward it lies in; None
    if no source knows it (or it is not a full postcode)."""
    postcode = normalise_postcode(postcode)
    if not POSTCODE_RE.match(postcode):
        return None
    place = find([postcode]).get(postcode)
    if place is None:
        return None
    code = lsoa_codes_at([place.longitude], [place.latitude])[0]
    lsoa = Lsoa.objects.select_related("ward").filter(code=code).first() if code else None
    return Found(postcode, place, lsoa)


@dataclass(frozen=True)
class Coverage:
    """What the look-up holds, for the upload page and the error messages."""

    loaded: int
    shipped: int

    @property
    def description(self) -> str:
        shipped = f"{self.shipped:,} SK postcodes shipped with Safehold"
        if not self.loaded:
            return shipped
        return f"{self.loaded:,} loaded postcodes and {shipped}"


def coverage() -> Coverage:
    return Coverage(PostcodePoint.objects.count(), len(shipped_points()))
