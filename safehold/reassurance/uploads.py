"""A partner's property list (a landlord's stock file) uploaded on the web: an import run of the
kind "property_list" (safehold.imports). The page checks the file at once and lists its problems
there; a worker imports a good file all or nothing, checking it again. Format:
docs/formats/property-list.md.

Importing the same file again changes nothing: a property is found by its list and UPRN, and
rewritten only when the file says something different about it. Properties of the list that the
file does not hold are kept (a file may add to a list).

The run's `result` holds the list's `name` and, once imported, `added`, `changed`,
`unchanged` and `summary` (in words).
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from safehold import audit
from safehold.accounts.models import User
from safehold.audit.choices import Action
from safehold.core.csvfiles import (
    ImportInvalid,
    RowError,
    decode,
    header_positions,
    read_records,
    stray_cell_errors,
)
from safehold.core.postcodes import POSTCODE_RE, normalise_postcode
from safehold.imports import services as runs
from safehold.imports.models import ImportRun
from safehold.reassurance import geometry
from safehold.reassurance.models import Property, PropertyList

KIND = "property_list"  # the kind of import run, registered in ReassuranceConfig.ready()
REQUIRED = ("uprn", "address_line_1", "postcode")
OPTIONAL = ("address_line_2", "town", "easting", "northing", "latitude", "longitude")
COLUMNS = (*REQUIRED, *OPTIONAL)
UPRN = re.compile(r"^[0-9]{1,12}$")
# Great Britain on the National Grid, and in degrees: a point outside is a typing mistake.
EASTING, NORTHING = (0, 700_000), (0, 1_300_000)
LATITUDE, LONGITUDE = (49.0, 61.0), (-9.0, 2.5)
FIELDS = ("address_line_1", "address_line_2", "town", "postcode", "easting", "northing",
          "latitude", "longitude")  # fmt: skip


@dataclass(frozen=True)
class Row:
    uprn: str
    values: dict


def _number(text: str, column: str, row: int, bounds, errors, *, whole: bool):
    try:
        value = int(text) if whole else float(text)
    except ValueError:
        kind = "a whole number of metres" if whole else "a number of degrees"
        errors.append(
            RowError(row, column, f"enter {kind}, like {bounds[1] // 2 if whole else 53.4}")
        )
        return None
    if not bounds[0] <= value <= bounds[1]:
        errors.append(RowError(row, column, f"must be between {bounds[0]} and {bounds[1]}"))
        return None
    return value


def check_file(data: bytes) -> list[Row]:
    """Every row of the file checked, or ImportInvalid with every problem by row and column."""
    records = read_records(decode(data), skip_empty=True)
    if not records:
        raise ImportInvalid([RowError(0, "", "the file is empty")])
    _, header = records[0]
    positions, errors = header_positions(
        header, known=COLUMNS, required=REQUIRED,
        unknown=lambda name: f"“{name}” is not a column of a property list: the columns are "
        + ", ".join(COLUMNS),
    )  # fmt: skip
    if errors:
        raise ImportInvalid(errors)
    has_grid = "easting" in positions and "northing" in positions
    has_degrees = "latitude" in positions and "longitude" in positions
    if not has_grid and not has_degrees:
        raise ImportInvalid([RowError(1, "", "the header needs easting and northing columns, or latitude and longitude")])  # fmt: skip
    rows, seen = [], {}
    for number, cells in records[1:]:
        errors += stray_cell_errors(number, cells, set(positions.values()))

        def cell(name, cells=cells):
            i = positions.get(name)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        uprn = cell("uprn")
        if not UPRN.match(uprn):
            errors.append(RowError(number, "uprn", "enter the UPRN: up to 12 digits"))
        elif uprn in seen:
            errors.append(RowError(number, "uprn", f"UPRN {uprn} is also on row {seen[uprn]}"))
        else:
            seen[uprn] = number
        if not cell("address_line_1"):
            errors.append(RowError(number, "address_line_1", "enter the first line of the address"))
        postcode = normalise_postcode(cell("postcode"))
        if not POSTCODE_RE.match(postcode):
            errors.append(RowError(number, "postcode", "enter a real postcode, like SK1 3XE"))
        values = {"address_line_1": cell("address_line_1")[:200],
                  "address_line_2": cell("address_line_2")[:200], "town": cell("town")[:100],
                  "postcode": postcode}  # fmt: skip
        if has_grid and (cell("easting") or cell("northing") or not has_degrees):
            east = _number(cell("easting"), "easting", number, EASTING, errors, whole=True)
            north = _number(cell("northing"), "northing", number, NORTHING, errors, whole=True)
            if east is not None and north is not None:
                lat, lon = geometry.to_wgs84(east, north)
                values |= {"easting": east, "northing": north}
                values |= {"latitude": Decimal(f"{lat:.6f}"), "longitude": Decimal(f"{lon:.6f}")}
        else:
            lat = _number(cell("latitude"), "latitude", number, LATITUDE, errors, whole=False)
            lon = _number(cell("longitude"), "longitude", number, LONGITUDE, errors, whole=False)
            if lat is not None and lon is not None:
                east, north = geometry.to_bng(lat, lon)
                values |= {"easting": round(east), "northing": round(north)}
                values |= {"latitude": Decimal(f"{lat:.6f}"), "longitude": Decimal(f"{lon:.6f}")}
        rows.append(Row(uprn, values))
    if not rows and not errors:
        errors.append(RowError(0, "", "the file has a header but no properties"))
    if errors:
        raise ImportInvalid(errors)
    return rows


@dataclass(frozen=True)
class Imported:
    added: int
    changed: int
    unchanged: int

    def __str__(self) -> str:
        return f"{self.added} added, {self.changed} changed, {self.unchanged} unchanged"


@transaction.atomic
def import_property_list(*, data: bytes, name: str, by: User) -> Imported:
    """Check the whole file, then import all of it into the agency's list of that name."""
    rows = check_file(data)
    plist, created = PropertyList.objects.get_or_create(owning_agency=by.agency, name=name)
    held = {p.uprn: p for p in plist.properties.all()}
    added, changed, unchanged = [], [], 0
    for row in rows:
        current = held.get(row.uprn)
        if current is None:
            added.append(Property(property_list=plist, uprn=row.uprn, **row.values))
        elif any(getattr(current, f) != row.values[f] for f in FIELDS):
            for field, value in row.values.items():
                setattr(current, field, value)
            changed.append(current)
        else:
            unchanged += 1
    Property.objects.bulk_create(added)
    Property.objects.bulk_update(changed, FIELDS)
    result = Imported(len(added), len(changed), unchanged)
    if added or changed or created:
        audit.record(
            action=Action.COLLECT if created else Action.ALTER, actor=by, target=plist,
            purpose=f"property list imported: {result}",
        )  # fmt: skip
    return result


def precheck(data: bytes, params: dict) -> None:
    check_file(data)


def process_upload(run: ImportRun, data: bytes, *, name: str) -> None:
    """A worker's part: import the whole file or, on any problem, none; record the result."""
    try:
        result = import_property_list(data=data, name=name, by=run.uploaded_by)
    except ImportInvalid as exc:
        runs.fail_run(run, exc.errors)
        return
    run.status = ImportRun.Status.DONE
    run.total_rows = run.processed_rows = result.added + result.changed + result.unchanged
    run.result = run.result | {
        "name": name, "added": result.added, "changed": result.changed,
        "unchanged": result.unchanged, "summary": str(result),
    }  # fmt: skip
    run.save()
