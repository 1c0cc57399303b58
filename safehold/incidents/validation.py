"""Checking a partner's incident log (docs/formats/incidents-csv.md) before anything is stored.

`validate_incidents` reads the whole file, lists every problem with its row and column, and
returns the parsed rows: times as aware UTC, places in WGS84 and British National Grid.
"""

import datetime
import hashlib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from django.utils import timezone

from safehold.core.csvfiles import (
    ImportInvalid,
    RowError,
    decode,
    header_positions,
    read_records,
    stray_cell_errors,
)
from safehold.core.postcodes import POSTCODE_RE, normalise_postcode
from safehold.hotspots.grid import BNG_AREA_OF_USE, to_bng
from safehold.incidents import store
from safehold.incidents.postcodes import PostcodeLookup, current_lookup, in_great_britain

COLUMNS = ("reference", "occurred_at", "type", "latitude", "longitude", "postcode", "source")
REQUIRED = ("reference", "occurred_at", "type")
MAX_REFERENCE = 64
MAX_TYPE = 100
MAX_SOURCE = 100
UK = ZoneInfo(store.UK_TIME_ZONE)
EXAMPLE_TIME = "31/10/2023 21:15 or 2023-10-31T21:15"
_OCCURRED_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)?$"
)
# Day first, as Excel writes dates and times in the UK: 31/10/2023 21:15, 31/10/2023 21:15:00,
# 31-10-2023 9:15 pm. Always UK local time.
_UK_RE = re.compile(
    r"^(?P<day>\d{1,2})([/.-])(?P<month>\d{1,2})\2(?P<year>\d{4})[ T]+"
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(:(?P<second>\d{2}))?\s*(?P<half>[ap]\.?m\.?)?$",
    re.IGNORECASE,
)
_UK_DATE_RE = re.compile(r"^\d{1,2}([/.-])\d{1,2}\1\d{2}(\d{2})?$")
_OUTWARD_RE = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")


@dataclass(frozen=True)
class IncidentRow:
    """One valid row: `occurred_at` aware UTC, the place in WGS84 and BNG."""

    row: int
    reference: str
    type: str
    occurred_at: datetime.datetime
    latitude: float
    longitude: float
    easting: float
    northing: float
    postcode: str | None
    located_by: str  # "coordinates" or "postcode"


@dataclass
class ImportPlan:
    """What validation found: the source, the parsed rows, or every error."""

    source: str = ""
    file_name: str = ""
    sha256: str = ""
    rows: list[IncidentRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows_in_file: int = 0
    lookup: str = ""  # which postcode lookup placed the postcodes

    @property
    def is_valid(self) -> bool:
        return not self.errors


def clean(value: str) -> str:
    """Trim and collapse runs of whitespace."""
    return " ".join(value.split())


def parse_occurred_at(text: str, *, now: datetime.datetime) -> datetime.datetime | str:
    """An aware UTC datetime, or the error message. No offset means UK local time: in the hour
    the clocks go back the first (BST) reading is taken; a time that does not exist because the
    clocks went forward is an error."""
    value = text.strip()
    if not value:
        return f"enter the date and time it happened, like {EXAMPLE_TIME}"
    uk = _UK_RE.match(value)
    if uk:
        parsed = _day_first(uk)
        if parsed is None:
            return f"enter a real date and time, like {EXAMPLE_TIME}"
    elif not _OCCURRED_RE.match(value):
        if re.match(r"^\d{4}-\d{2}-\d{2}$", value) or _UK_DATE_RE.match(value):
            return f"enter the time as well as the date, like {EXAMPLE_TIME}"
        return f"enter the date and time like {EXAMPLE_TIME}"
    else:
        try:
            parsed = datetime.datetime.fromisoformat(value.replace(" ", "T", 1))
        except ValueError:
            return f"enter a real date and time, like {EXAMPLE_TIME}"
    if parsed.tzinfo is None:
        local = parsed.replace(tzinfo=UK)
        utc = local.astimezone(datetime.UTC)
        if utc.astimezone(UK).replace(tzinfo=None) != parsed:
            return (
                f"{value} did not happen in UK time (the clocks went forward an hour): "
                "check the time, or give it with its UTC offset, like 2024-03-31T01:30+00:00"
            )
    else:
        utc = parsed.astimezone(datetime.UTC)
    if utc > now:
        return "the date and time must be in the past"
    return utc


def _day_first(match: re.Match) -> datetime.datetime | None:
    """The naive date and time of a day-first match (31/10/2023 9:15 pm), None if no such
    date or time."""
    hour = int(match["hour"])
    if match["half"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["half"][0].lower() == "p" else 0)
    try:
        return datetime.datetime(
            int(match["year"]),
            int(match["month"]),
            int(match["day"]),
            hour,
            int(match["minute"]),
            int(match["second"] or 0),
        )
    except ValueError:
        return None


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _header(cells: list[str], *, source_given: bool) -> tuple[dict[str, int], list[RowError]]:
    positions, errors = header_positions(
        cells,
        known=COLUMNS,
        required=REQUIRED,
        unknown=lambda name: (
            f"“{name}” is not a column of this format. The columns are: "
            f"{', '.join(COLUMNS)} (incident logs carry no names or free text)"
        ),
    )
    if not source_given and "source" not in positions:
        errors.append(
            RowError(1, "source", "the header has no source column: add one, or name the source")
        )
    has_coordinates = "latitude" in positions and "longitude" in positions
    if not has_coordinates and "postcode" not in positions:
        missing = [c for c in ("latitude", "longitude") if c not in positions]
        errors.append(
            RowError(
                1,
                missing[0],
                "the header needs latitude and longitude columns, or a postcode column",
            )
        )
    return positions, errors


def _check_source(name: str) -> str | None:
    if not name:
        return "enter the source: the partner whose log this is"
    if len(name) > MAX_SOURCE:
        return f"the source must be {MAX_SOURCE} characters or fewer"
    if not re.search(r"\w", name):
        return "the source must contain a letter or a number"
    return None


@dataclass
class _Pending:
    """A row that passed every check but its postcode lookup."""

    row: int
    reference: str
    type: str
    occurred_at: datetime.datetime
    latitude: float | None
    longitude: float | None
    postcode: str | None


def validate_incidents(
    *,
    data: bytes | str,
    source: str | None = None,
    file_name: str = "",
    now: datetime.datetime | None = None,
    lookup: PostcodeLookup | None = None,
    data_dir: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportPlan:
    """Read and check the whole file; writes nothing. Every problem is listed, not the first.

    `source` names the partner for every row (the file's source column, if any, must then be
    empty or the same); without it every row needs a source, and all rows the same one.
    `progress(rows checked, rows in the file)` is called after each row (the upload page).
    """
    now = now or timezone.now()
    raw = data if isinstance(data, bytes) else data.encode()
    plan = ImportPlan(file_name=file_name, sha256=hashlib.sha256(raw).hexdigest())
    given_source = clean(source or "")
    if source is not None and (problem := _check_source(given_source)):
        plan.errors = [RowError(0, "", f"the source named for the import: {problem}")]
        return plan
    try:
        records = read_records(decode(data), skip_empty=True)
    except ImportInvalid as exc:
        plan.errors = exc.errors
        return plan
    if not records:
        plan.errors = [RowError(0, "", "the file is empty: the first row must name the columns")]
        return plan
    if records[0][0] != 1:
        plan.errors = [RowError(1, "", "row 1 is empty: it must name the columns")]
        return plan
    plan.rows_in_file = len(records) - 1
    positions, plan.errors = _header(records[0][1], source_given=bool(given_source))
    if plan.errors:
        return plan
    if not plan.rows_in_file:
        plan.errors = [RowError(0, "", "the file has a header but no incidents")]
        return plan

    errors = plan.errors
    named = set(positions.values())
    first_row: dict[str, int] = {}
    file_source, file_source_row = "", 0
    pending: list[_Pending] = []
    to_look_up: list[tuple[int, str]] = []
    for checked, (row, raw_cells) in enumerate(records[1:], start=1):
        if progress:
            progress(checked, plan.rows_in_file)

        def error(column: str, message: str, row: int = row) -> None:
            errors.append(RowError(row, column, message))

        errors.extend(stray_cell_errors(row, raw_cells, named))
        cells = {n: raw_cells[i] if i < len(raw_cells) else "" for n, i in positions.items()}
        ok = True

        reference = clean(cells["reference"])
        if not reference:
            error("reference", "enter the incident's reference in the partner's system")
            ok = False
        elif len(reference) > MAX_REFERENCE:
            error("reference", f"the reference must be {MAX_REFERENCE} characters or fewer")
            ok = False
        elif reference in first_row:
            error(
                "reference",
                f"{reference} is also on row {first_row[reference]}: "
                "each incident must appear once",
            )
            ok = False
        else:
            first_row[reference] = row

        occurred = parse_occurred_at(cells["occurred_at"], now=now)
        if isinstance(occurred, str):
            error("occurred_at", occurred)
            ok = False

        kind = clean(cells["type"])
        if not kind:
            error("type", "enter the type of incident, like Anti-social behaviour")
            ok = False
        elif len(kind) > MAX_TYPE:
            error("type", f"the type must be {MAX_TYPE} characters or fewer")
            ok = False

        row_source = clean(cells.get("source", ""))
        if given_source:
            if row_source and row_source.casefold() != given_source.casefold():
                error(
                    "source",
                    f"this row's source is “{row_source}” but the import is for "
                    f"“{given_source}”: leave it empty, or import each source's file separately",
                )
                ok = False
        elif problem := _check_source(row_source):
            error("source", problem)
            ok = False
        elif not file_source:
            file_source, file_source_row = row_source, row
        elif row_source.casefold() != file_source.casefold():
            error(
                "source",
                f"every row must have the same source as row {file_source_row} "
                f"(“{file_source}”): import each source's file separately",
            )
            ok = False

        lat_text, lon_text = cells.get("latitude", "").strip(), cells.get("longitude", "").strip()
        postcode = normalise_postcode(cells.get("postcode", "")) or None
        latitude = longitude = None
        if lat_text or lon_text:
            for column, text, low, high in (
                ("latitude", lat_text, -90, 90),
                ("longitude", lon_text, -180, 180),
            ):
                other = "longitude" if column == "latitude" else "latitude"
                value = _number(text) if text else None
                if not text:
                    error(column, f"enter the {column} too, or leave {other} empty too")
                elif value is None:
                    error(column, f"the {column} must be a number of degrees, like 53.4106")
                elif not low <= value <= high:
                    error(column, f"the {column} must be between {low} and {high} degrees")
                else:
                    if column == "latitude":
                        latitude = value
                    else:
                        longitude = value
                    continue
                ok = False
            if latitude is not None and longitude is not None:
                if not in_great_britain(latitude, longitude):
                    west, south, east, north = BNG_AREA_OF_USE
                    error(
                        "latitude",
                        f"{latitude}, {longitude} is outside Great Britain (latitude "
                        f"{south} to {north}, longitude {west} to {east}): check the "
                        "coordinates are WGS84 degrees in the right columns",
                    )
                    ok = False
            else:
                ok = False
            if postcode and not POSTCODE_RE.match(postcode):
                error("postcode", "enter a real postcode, like SK1 1EB, or leave it empty")
                ok = False
        elif not postcode:
            column = "postcode" if "postcode" in positions else "latitude"
            error(column, "enter the latitude and longitude, or a postcode")
            ok = False
        elif not POSTCODE_RE.match(postcode):
            compact = postcode.replace(" ", "")
            if _OUTWARD_RE.match(compact):
                error(
                    "postcode",
                    f"{compact} is a postcode district: enter the full postcode, like SK1 1EB, "
                    "or the latitude and longitude",
                )
            else:
                error("postcode", "enter a real postcode, like SK1 1EB")
            ok = False
        else:
            to_look_up.append((row, postcode))  # checked below, whatever else is wrong

        if ok:
            pending.append(_Pending(row, reference, kind, occurred, latitude, longitude, postcode))

    plan.source = given_source or file_source
    lookup = lookup or current_lookup(data_dir)
    plan.lookup = lookup.description
    places = lookup.find(postcode for _, postcode in to_look_up)
    for row, postcode in to_look_up:
        if postcode not in places:
            errors.append(
                RowError(
                    row,
                    "postcode",
                    f"{postcode} is not in the postcode lookup ({lookup.description}): check "
                    "it, give the latitude and longitude, or ask an administrator to add the "
                    "postcodes of its area on the Postcode points page",
                )
            )
    order = {c: i for i, c in enumerate(COLUMNS)}
    errors.sort(key=lambda e: (e.row, order.get(e.column, 99)))
    if errors:
        return plan

    with_coordinates = [p for p in pending if p.latitude is not None]
    east, north = to_bng(
        [p.longitude for p in with_coordinates], [p.latitude for p in with_coordinates]
    )
    projected = {
        p.row: (float(e), float(n)) for p, e, n in zip(with_coordinates, east, north, strict=True)
    }
    for p in pending:
        if p.latitude is not None:
            e, n = projected[p.row]
            lat, lon, by = p.latitude, p.longitude, "coordinates"
        else:
            place = places[p.postcode]
            lat, lon, e, n, by = (
                place.latitude,
                place.longitude,
                place.easting,
                place.northing,
                "postcode",
            )
        plan.rows.append(
            IncidentRow(p.row, p.reference, p.type, p.occurred_at, lat, lon, e, n, p.postcode, by)
        )
    return plan
