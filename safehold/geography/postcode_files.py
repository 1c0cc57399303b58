"""Loading postcode points from a file (docs/formats/postcodes.md, ADR 0037): OS Code-Point
Open (its CSV files, one postcode area each, with no header row, or the whole national zip),
the ONS Postcode Directory (`pcds`, `lat`, `long`, `oseast1m`, `osnrth1m`) or a postcodes.io
extract (`postcode`, `lat`, `lon`, `eastings`, `northings`).

The file is read twice, as a stream, so a national file never sits in memory: the first pass
checks every row (all or nothing: one malformed postcode or coordinate loads nothing), the
second writes the points in one transaction. Loading adds the file's postcodes and replaces
the points of those already held; loading the same file again changes nothing.
"""

import csv
import gzip
import hashlib
import io
import math
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from safehold import audit
from safehold.audit.choices import Action
from safehold.core.csvfiles import NOT_UTF8, ImportInvalid, RowError, not_csv
from safehold.core.errors import NotPermitted
from safehold.core.postcodes import POSTCODE_RE, normalise_postcode
from safehold.core.text import control_character_problem, has_control_character
from safehold.geography.boundaries import TO_BNG
from safehold.geography.models import PostcodePoint
from safehold.geography.postcodes import to_wgs84
from safehold.geography.rules import can_load_postcodes

ALIASES = {
    "postcode": ("postcode", "pcds", "pcd", "pcd2", "pc"),
    "latitude": ("lat", "latitude"),
    "longitude": ("lon", "long", "longitude", "lng"),
    "easting": ("eastings", "easting", "oseast1m", "ea"),
    "northing": ("northings", "northing", "osnrth1m", "no"),
    "postcode_type": ("postcode_type",),
}
# Code-Point Open's columns (Doc/Code-Point_Open_Column_Headers.csv): PC, PQ, EA, NO, …
CODE_POINT = {"postcode": 0, "quality": 1, "easting": 2, "northing": 3}
NO_POSITION_QUALITY = "90"  # Code-Point Open: a postcode with no coordinates
WRITE_BATCH = 5_000
MAX_ERRORS = 1_000
# British National Grid's extent (metres); ONSPD gives 99.999999 degrees for "no location".
MAX_EASTING, MAX_NORTHING = 700_000, 1_300_000


@dataclass(frozen=True)
class Loaded:
    postcodes: int  # points written (new or replaced)
    skipped: int  # rows without a position, postcode districts, points outside Great Britain


@dataclass(frozen=True)
class _Point:
    postcode: str
    easting: float | None
    northing: float | None
    latitude: float | None
    longitude: float | None


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


@contextmanager
def _opened(source: Path | bytes, name: str) -> Iterator[list[tuple[str, io.TextIOBase]]]:
    """The CSV texts of the source: one file, a gzipped file, or every CSV in a zip (except
    Code-Point Open's documentation)."""
    if isinstance(source, bytes):
        raw = io.BytesIO(source)
    else:
        raw = open(source, "rb")
    try:
        head = raw.read(4)
        raw.seek(0)
        if head.startswith(b"PK"):
            try:
                archive = zipfile.ZipFile(raw)
            except zipfile.BadZipFile as exc:
                raise ImportInvalid(
                    [RowError(0, "", f"the zip file cannot be opened ({exc})")]
                ) from exc
            with archive:
                members = sorted(
                    m
                    for m in archive.namelist()
                    if m.lower().endswith(".csv") and "doc/" not in m.lower()
                )
                if not members:
                    raise ImportInvalid([RowError(0, "", "the zip file holds no CSV file")])
                streams = [
                    (Path(m).name, io.TextIOWrapper(archive.open(m), "utf-8-sig", newline=""))
                    for m in members
                ]
                yield streams
            return
        if head.startswith(b"\x1f\x8b"):
            stream = io.TextIOWrapper(gzip.GzipFile(fileobj=raw), "utf-8-sig", newline="")
        else:
            stream = io.TextIOWrapper(raw, "utf-8-sig", newline="")
        yield [(name, stream)]
    finally:
        raw.close()


def _columns(header: list[str]) -> tuple[dict[str, int], list[str]]:
    names = [h.strip().lower() for h in header]
    found = {}
    for column, aliases in ALIASES.items():
        for alias in aliases:
            if alias in names:
                found[column] = names.index(alias)
                break
    missing = []
    if "postcode" not in found:
        missing.append("the header has no postcode column (accepted names: postcode, pcds, pcd)")
    has_degrees = "latitude" in found and "longitude" in found
    has_metres = "easting" in found and "northing" in found
    if not (has_degrees or has_metres):
        missing.append(
            "the header has neither latitude and longitude (lat, long) nor eastings and "
            "northings (oseast1m, osnrth1m) columns"
        )
    return found, missing


def _points(
    file: str, stream: io.TextIOBase, errors: list[RowError], prefix: str
) -> Iterator[_Point | None]:
    """Each row's point, or None for a row skipped on purpose; problems go to `errors`,
    including a file that stops being readable part way (it is read as a stream)."""
    reader = csv.reader(stream)
    try:
        yield from _read_points(reader, errors, prefix)
    except UnicodeDecodeError:
        errors.append(RowError(0, "", f"{prefix}{NOT_UTF8}"))
    except csv.Error as exc:
        error = not_csv(reader.line_num, exc)
        errors.append(RowError(error.row, "", f"{prefix}{error.message}"))
    except (OSError, EOFError, zlib.error, zipfile.BadZipFile) as exc:  # a damaged gzip or zip
        errors.append(RowError(0, "", f"{prefix}the compressed file is damaged ({exc})"))


def _read_points(reader, errors: list[RowError], prefix: str) -> Iterator[_Point | None]:
    first = next(reader, None)
    if first is None:
        errors.append(RowError(0, "", f"{prefix}the file is empty"))
        return
    columns: dict[str, int]
    if first and POSTCODE_RE.match(normalise_postcode(first[0])):
        columns, rows = dict(CODE_POINT), _chain(first, reader)  # Code-Point Open: no header
        start = 1
    else:
        columns, missing = _columns(first)
        if missing:
            errors.extend(RowError(1, "", f"{prefix}{m}") for m in missing)
            return
        rows, start = reader, 2

    def cell(cells: list[str], column: str) -> str:
        index = columns.get(column)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    for row, cells in enumerate(rows, start=start):
        if not any(c.strip() for c in cells):
            continue
        if any(has_control_character(c) for c in cells):
            index = next(i for i, c in enumerate(cells) if has_control_character(c))
            name = next((n for n, i in columns.items() if i == index), "")
            problem = control_character_problem(cells[index])
            errors.append(RowError(row, name, f"{prefix}the cell {problem}"))
            continue
        if cell(cells, "postcode_type") not in ("", "full_postcode"):
            yield None
            continue
        postcode = normalise_postcode(cell(cells, "postcode"))
        if not POSTCODE_RE.match(postcode):
            errors.append(RowError(row, "postcode", f"{prefix}“{postcode}” is not a full postcode"))
            continue
        if cell(cells, "quality") == NO_POSITION_QUALITY:
            yield None
            continue
        point = _position(row, postcode, cells, cell, errors, prefix)
        yield point


def _chain(first: list[str], reader) -> Iterator[list[str]]:
    yield first
    yield from reader


def _position(row, postcode, cells, cell: Callable, errors, prefix) -> _Point | None:
    east_text, north_text = cell(cells, "easting"), cell(cells, "northing")
    lat_text, lon_text = cell(cells, "latitude"), cell(cells, "longitude")
    east, north = _number(east_text), _number(north_text)
    lat, lon = _number(lat_text), _number(lon_text)
    for text, value, name in (
        (east_text, east, "easting"),
        (north_text, north, "northing"),
        (lat_text, lat, "latitude"),
        (lon_text, lon, "longitude"),
    ):
        if text and value is None:
            errors.append(RowError(row, name, f"{prefix}the {name} must be a number"))
            return None
    metres = east is not None and north is not None and 0 < east < MAX_EASTING
    metres = metres and 0 < north < MAX_NORTHING
    degrees = lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180
    degrees = degrees and 49 <= lat <= 61 and -9 <= lon <= 2.1  # Great Britain and its waters
    if not (metres or degrees):
        return None  # no position (ONSPD's 99.999999, Code-Point's zeros) or outside GB
    return _Point(
        postcode,
        east if metres else None,
        north if metres else None,
        lat if degrees else None,
        lon if degrees else None,
    )


def _check(source: Path | bytes, name: str) -> tuple[int, int, list[RowError]]:
    """The first pass: the number of points and of skipped rows, and every problem."""
    errors: list[RowError] = []
    points = skipped = 0
    with _opened(source, name) as streams:
        for file, stream in streams:
            prefix = f"{file}: " if len(streams) > 1 else ""
            for point in _points(file, stream, errors, prefix):
                if point is None:
                    skipped += 1
                else:
                    points += 1
                if len(errors) >= MAX_ERRORS:
                    return points, skipped, errors
    if not errors and not points:
        errors.append(RowError(0, "", "the file has no postcode with a position"))
    return points, skipped, errors


def _write(batch: dict[str, _Point], source: str) -> None:
    """Upsert a batch: points given in one system get the other by projection."""
    values = list(batch.values())
    need_metres = [p for p in values if p.easting is None]
    need_degrees = [p for p in values if p.latitude is None]
    metres = {}
    if need_metres:
        east, north = TO_BNG.transform(
            [p.longitude for p in need_metres], [p.latitude for p in need_metres]
        )
        metres = {
            p.postcode: (round(float(e), 1), round(float(n), 1))
            for p, e, n in zip(need_metres, east, north, strict=True)
        }
    degrees = {}
    if need_degrees:
        lon, lat = to_wgs84([p.easting for p in need_degrees], [p.northing for p in need_degrees])
        degrees = {
            p.postcode: (float(y), float(x)) for p, x, y in zip(need_degrees, lon, lat, strict=True)
        }
    rows = []
    for p in values:
        east, north = metres.get(p.postcode, (p.easting, p.northing))
        lat, lon = degrees.get(p.postcode, (p.latitude, p.longitude))
        rows.append(
            PostcodePoint(
                postcode=p.postcode,
                easting=east,
                northing=north,
                latitude=lat,
                longitude=lon,
                source=source[:200],
            )
        )
    PostcodePoint.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["postcode"],
        update_fields=["easting", "northing", "latitude", "longitude", "source"],
    )


def _digest(source: Path | bytes) -> str:
    if isinstance(source, bytes):
        return hashlib.sha256(source).hexdigest()
    sha = hashlib.sha256()
    with open(source, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            sha.update(chunk)
    return sha.hexdigest()


def load_postcode_points(
    *,
    source: Path | bytes,
    file_name: str,
    by=None,
    progress: Callable[[int, int], None] | None = None,
) -> Loaded:
    """Check the whole file, then add (or replace) all its postcode points in one transaction,
    audited; raise ImportInvalid, loading nothing, on any problem. `by=None` is Safehold itself
    (the command line without --user); a user must be an administrator."""
    if by is not None and not can_load_postcodes(by):
        raise NotPermitted("Only administrators can load postcode points")
    total, skipped, errors = _check(source, file_name)
    if errors:
        raise ImportInvalid(errors)
    label = f"{file_name or 'a file'}"
    written = 0
    with transaction.atomic():
        with _opened(source, file_name) as streams:
            batch: dict[str, _Point] = {}
            for file, stream in streams:
                for point in _points(file, stream, [], ""):
                    if point is None:
                        continue
                    batch[point.postcode] = point
                    if len(batch) >= WRITE_BATCH:
                        _write(batch, label)
                        written += len(batch)
                        batch = {}
                        if progress:
                            progress(written, total)
            if batch:
                _write(batch, label)
                written += len(batch)
        audit.record(
            action=Action.COLLECT,
            actor=by,
            object_type="geography.postcode_points",
            object_ids=[f"sha256:{_digest(source)}"],
            purpose=(
                f"postcode points loaded from {label}: {total:,} postcodes, "
                f"{skipped:,} rows skipped"
            ),
        )
    if progress:
        progress(total, total)
    return Loaded(postcodes=total, skipped=skipped)
