"""The postcode lookup that places an incident given by postcode instead of coordinates.

By default it is the small Stockport extract committed in `data/postcodes.csv` (five full
postcodes). `load_postcode_lookup` replaces it with a bigger one, such as the ONS Postcode
Directory, stored as `DATA_DIR/incidents/postcodes.parquet`. Only full postcodes place an
incident; see docs/formats/incidents-csv.md.
"""

import csv
import hashlib
import io
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from django.db import transaction

from safehold import audit
from safehold.accounts.models import User
from safehold.audit.choices import Action
from safehold.core.csvfiles import (
    ImportInvalid,
    RowError,
    control_character_errors,
    decode,
    read_records,
)
from safehold.core.postcodes import POSTCODE_RE, normalise_postcode
from safehold.core.text import has_control_character
from safehold.hotspots.grid import BNG_AREA_OF_USE, to_bng
from safehold.incidents import store

DEFAULT_LOOKUP = Path(__file__).parent / "data" / "postcodes.csv"
DEFAULT_LOOKUP_NAME = "the Stockport sample committed with Safehold"
ALIASES = {
    "postcode": ("postcode", "pcds", "pcd", "pcd2"),
    "latitude": ("lat", "latitude"),
    "longitude": ("lon", "long", "longitude", "lng"),
    "easting": ("eastings", "easting", "oseast1m"),
    "northing": ("northings", "northing", "osnrth1m"),
    "postcode_type": ("postcode_type",),
}
LOOKUP_SCHEMA = pa.schema(
    [
        ("postcode", pa.string()),
        ("latitude", pa.float64()),
        ("longitude", pa.float64()),
        ("easting", pa.float64()),
        ("northing", pa.float64()),
    ]
)


@dataclass(frozen=True)
class Place:
    """Where a postcode is: WGS84 degrees and British National Grid metres."""

    latitude: float
    longitude: float
    easting: float
    northing: float


def lookup_path(data_dir: Path | None = None) -> Path:
    return store.store_dir(data_dir) / "postcodes.parquet"


def in_great_britain(latitude: float, longitude: float) -> bool:
    """Inside the area where EPSG defines British National Grid (GB and its waters)."""
    west, south, east, north = BNG_AREA_OF_USE
    return south <= latitude <= north and west <= longitude <= east


@dataclass(frozen=True)
class PostcodeLookup:
    """The lookup in use: the loaded Parquet file if there is one, else the committed sample."""

    description: str
    size: int
    path: Path | None = None
    _places: dict[str, Place] | None = None

    def find(self, postcodes: Iterable[str]) -> dict[str, Place]:
        """The places of those of `postcodes` (normalised, like "SK1 1EB") the lookup has."""
        wanted = sorted(set(postcodes))
        if self._places is not None:
            return {p: self._places[p] for p in wanted if p in self._places}
        if not wanted:
            return {}
        rows = duckdb.execute(
            "SELECT postcode, latitude, longitude, easting, northing FROM read_parquet(?) "
            "WHERE postcode IN (SELECT unnest(?::VARCHAR[]))",
            [str(self.path), wanted],
        ).fetchall()
        return {r[0]: Place(*r[1:]) for r in rows}


def _default_places() -> dict[str, Place]:
    places, _ = _parse(DEFAULT_LOOKUP.read_text(encoding="utf-8"))
    return places


def current_lookup(data_dir: Path | None = None) -> PostcodeLookup:
    path = lookup_path(data_dir)
    if path.exists():
        size = pq.ParquetFile(path).metadata.num_rows
        return PostcodeLookup(f"the loaded lookup ({size:,} postcodes)", size, path=path)
    places = _default_places()
    return PostcodeLookup(
        f"{DEFAULT_LOOKUP_NAME} ({len(places)} postcodes)", len(places), _places=places
    )


def _columns(header: list[str]) -> tuple[dict[str, int], list[RowError]]:
    names = [h.strip().lower() for h in header]
    found, errors = {}, []
    for column, aliases in ALIASES.items():
        for alias in aliases:
            if alias in names:
                found[column] = names.index(alias)
                break
    for column in ("postcode", "latitude", "longitude"):
        if column not in found:
            errors.append(
                RowError(
                    1,
                    column,
                    f"the header has no {column} column (accepted names: "
                    f"{', '.join(ALIASES[column])})",
                )
            )
    return found, errors


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _parse(text: str) -> tuple[dict[str, Place], int]:
    """Every full postcode with a location in Great Britain; raises ImportInvalid on any
    malformed postcode or coordinate. Returns the places and the number of rows skipped
    (postcode districts, and postcodes with no location, like ONSPD's 99.999999)."""
    if has_control_character(text):  # rare: read it whole only to name the cells
        raise ImportInvalid(control_character_errors(read_records(text)))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ImportInvalid([RowError(0, "", "the file is empty")]) from None
    columns, errors = _columns(header)
    if errors:
        raise ImportInvalid(errors)
    places: dict[str, Place] = {}
    projected: list[tuple[str, float, float]] = []
    skipped = 0

    def cell(cells: list[str], column: str) -> str:
        index = columns.get(column)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    for row, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if cell(cells, "postcode_type") not in ("", "full_postcode"):
            skipped += 1
            continue
        postcode = normalise_postcode(cell(cells, "postcode"))
        if not POSTCODE_RE.match(postcode):
            errors.append(RowError(row, "postcode", f"“{postcode}” is not a full postcode"))
            continue
        lat_text, lon_text = cell(cells, "latitude"), cell(cells, "longitude")
        if not lat_text and not lon_text:
            skipped += 1
            continue
        lat, lon = _number(lat_text), _number(lon_text)
        if lat is None or lon is None:
            bad = "latitude" if lat is None else "longitude"
            errors.append(RowError(row, bad, f"the {bad} must be a number of degrees"))
            continue
        if not in_great_britain(lat, lon):
            skipped += 1
            continue
        if postcode in places:
            continue
        east, north = _number(cell(cells, "easting")), _number(cell(cells, "northing"))
        if east is None or north is None or not (east > 0 and north > 0):
            projected.append((postcode, lat, lon))
            east = north = math.nan
        places[postcode] = Place(lat, lon, east, north)
    if errors:
        raise ImportInvalid(errors)
    if projected:
        e, n = to_bng([p[2] for p in projected], [p[1] for p in projected])
        for (postcode, lat, lon), east, north in zip(projected, e, n, strict=True):
            places[postcode] = Place(lat, lon, float(east), float(north))
    return places, skipped


@dataclass(frozen=True)
class LookupLoaded:
    postcodes: int
    skipped: int


def load_postcode_lookup(
    *, data: bytes | str, by: User | None = None, file_name: str = "", data_dir: Path | None = None
) -> LookupLoaded:
    """Replace the postcode lookup with a CSV of postcodes and their coordinates.

    Accepts postcodes.io extracts (postcode, lat, lon, eastings, northings) and the ONS
    Postcode Directory (pcds, lat, long, oseast1m, osnrth1m). Published eastings and northings
    are used when present, else latitude and longitude are projected. All or nothing: a
    malformed postcode or coordinate anywhere loads nothing.
    """
    places, skipped = _parse(decode(data))
    if not places:
        raise ImportInvalid([RowError(0, "", "the file has no full postcode with a location")])
    postcodes = sorted(places)
    table = pa.table(
        {
            "postcode": postcodes,
            "latitude": [places[p].latitude for p in postcodes],
            "longitude": [places[p].longitude for p in postcodes],
            "easting": np.array([places[p].easting for p in postcodes]),
            "northing": np.array([places[p].northing for p in postcodes]),
        },
        schema=LOOKUP_SCHEMA,
    )
    digest = hashlib.sha256(data if isinstance(data, bytes) else data.encode()).hexdigest()
    final = lookup_path(data_dir)
    with store.locked(data_dir):
        temporary = store.temporary_path(final)
        pq.write_table(table, temporary)
        store.fsync_file(temporary)
        try:
            with transaction.atomic():
                audit.record(
                    action=Action.COLLECT,
                    actor=by,
                    object_type="crime.postcode_lookup",
                    object_ids=[f"sha256:{digest}"],
                    purpose=(
                        f"postcode lookup loaded from {file_name or 'a file'}: "
                        f"{len(postcodes):,} postcodes, {skipped:,} rows skipped"
                    ),
                )
                store.replace(temporary, final)
        finally:
            temporary.unlink(missing_ok=True)
    return LookupLoaded(postcodes=len(postcodes), skipped=skipped)
