"""The network as two CSV files, entities.csv and links.csv, both ways (docs/formats/networks.md).

Reading checks the whole pair before anything is returned and refuses it with every problem,
so an import is all or nothing. Writing is formula-safe as every Safehold export is (ADR 0028),
in a way reading undoes, so a network written and read back is the same network.
"""

import csv
import io
import os
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from safehold.core.csvfiles import ImportInvalid, RowError, decode, read_records, stray_cell_errors
from safehold.core.exports import is_formula_like
from safehold.networks.formats.validation import (
    EntityRow,
    LinkRow,
    Names,
    NetworkFileError,
    build_graph,
    check_attribute_names,
    name_problem,
    normalise_name,
)
from safehold.networks.graph import Graph

ENTITIES_CSV, LINKS_CSV = "entities.csv", "links.csv"
# The most a zipped pair may hold once unzipped (a "zip bomb" is refused before it is unzipped).
MAX_UNZIPPED_BYTES = 512 * 1024**2
ENTITY_COLUMNS = ("entity_id", "type", "label")
LINK_COLUMNS = ("link_id", "source_id", "target_id", "type", "date")
LINK_REQUIRED = ("source_id", "target_id", "type", "date")

CsvSource = str | os.PathLike | IO[str] | IO[bytes] | bytes


def guard(value: str) -> str:
    """A cell a spreadsheet will not run: formula-like text (as `safehold.core.exports` judges
    it) gets an apostrophe before it, and so does text that is already apostrophes before
    formula-like text, so `unguard` can tell the two apart and give back exactly `value`."""
    return "'" + value if is_formula_like(value.lstrip("'")) else value


def unguard(cell: str) -> str:
    """The value `guard` wrote into `cell`."""
    if cell.startswith("'") and is_formula_like(cell[1:].lstrip("'")):
        return cell[1:]
    return cell


def write_csv(graph: Graph) -> tuple[str, str]:
    """entities.csv and links.csv as text (UTF-8 when written out, CRLF line ends), every cell
    formula-safe: `entity_id, type, label` then one column per entity attribute, and `link_id,
    source_id, target_id, type, date` then one per link attribute, attributes by name."""
    entity_keys = sorted({k for e in graph.entities for k in e.attributes})
    link_keys = sorted({k for link in graph.links for k in link.attributes})
    check_attribute_names(entity_keys, ENTITY_COLUMNS, "entity")
    check_attribute_names(link_keys, LINK_COLUMNS, "link")
    entity_rows = (
        [e.id, e.type, e.label, *(e.attributes.get(k, "") for k in entity_keys)]
        for e in graph.entities
    )
    link_rows = (
        [
            link.id,
            link.source,
            link.target,
            link.type,
            link.date.isoformat() if link.date else "",
            *(link.attributes.get(k, "") for k in link_keys),
        ]
        for link in graph.links
    )
    return (
        _csv_text([*ENTITY_COLUMNS, *entity_keys], entity_rows),
        _csv_text([*LINK_COLUMNS, *link_keys], link_rows),
    )


def _csv_text(header: list[str], rows: Iterable[list[str]]) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([guard(cell) for cell in row] for row in rows)
    return out.getvalue()


def read_csv(
    entities_file: CsvSource,
    links_file: CsvSource,
    *,
    entities_name: str | None = None,
    links_name: str | None = None,
) -> Graph:
    """The network in an entities.csv and links.csv pair: each a path, a text or binary stream,
    or bytes. Both files are checked in full; any problem raises one NetworkFileError listing
    all of them ("links.csv, row 7, target_id: “P9” is not an entity_id in entities.csv")."""
    entities_name = entities_name or _name_of(entities_file, ENTITIES_CSV)
    links_name = links_name or _name_of(links_file, LINKS_CSV)
    problems: list[str] = []
    entity_rows = _rows(entities_file, entities_name, ENTITY_COLUMNS, ENTITY_COLUMNS, problems)
    link_rows = _rows(links_file, links_name, LINK_COLUMNS, LINK_REQUIRED, problems)
    entities = [
        EntityRow(
            where=f"{entities_name}, row {n}",
            place=f"row {n}",
            id=values.pop("entity_id"),
            type=values.pop("type"),
            label=values.pop("label"),
            attributes=values,
        )
        for n, values in entity_rows or []
    ]
    links = [
        LinkRow(
            where=f"{links_name}, row {n}",
            place=f"row {n}",
            id=values.pop("link_id", ""),
            source=values.pop("source_id"),
            target=values.pop("target_id"),
            type=values.pop("type"),
            date=values.pop("date"),
            attributes=values,
        )
        for n, values in link_rows or []
    ]
    names = Names(missing_end=f"an entity_id in {entities_name}")
    return build_graph(
        entities, links, names=names, problems=problems, check_ends=entity_rows is not None
    )


def _name_of(source: CsvSource, default: str) -> str:
    if isinstance(source, str | os.PathLike):
        return Path(source).name
    name = getattr(source, "name", None)
    return Path(name).name if isinstance(name, str) and name else default


def _text(source: CsvSource, name: str, problems: list[str]) -> str | None:
    """The file's text without a byte order mark, or None with the problem recorded."""
    try:
        if isinstance(source, str | os.PathLike):
            data = Path(source).read_bytes()
        elif isinstance(source, bytes):
            data = source
        else:
            data = source.read()
        return decode(data)
    except OSError as exc:
        problems.append(f"{name}: the file cannot be opened ({exc.strerror or exc})")
    except ImportInvalid as exc:
        problems += [f"{name}: {e}" for e in exc.errors]
    return None


def _rows(
    source: CsvSource,
    name: str,
    known: tuple[str, ...],
    required: tuple[str, ...],
    problems: list[str],
) -> list[tuple[int, dict[str, str]]] | None:
    """Each non-empty row's number and values by column (trimmed, formula guard removed; an
    empty attribute left out), after checking the header; problems are added to `problems`,
    and None returned when the rows cannot be read at all (the header is wrong)."""
    text = _text(source, name, problems)
    if text is None:
        return None
    try:
        records = read_records(text, skip_empty=True)
    except ImportInvalid as exc:
        problems += [_located(name, e) for e in exc.errors]
        return None
    if not records or records[0][0] != 1:
        problems.append(
            f"{name}: the first row must name the columns: at least {', '.join(required)}"
        )
        return None
    header_problems_before = len(problems)
    positions: dict[str, int] = {}
    for index, cell in enumerate(records[0][1]):
        column = normalise_name(cell)
        if not column:
            continue
        if column in positions:
            problems.append(f"{name}, row 1, {column}: the {column} column appears more than once")
        elif column not in known and (problem := name_problem(column)):
            problems.append(f"{name}, row 1: {problem}")
        else:
            positions[column] = index
    problems += [
        f"{name}, row 1: the header has no {c} column" for c in required if c not in positions
    ]
    if len(problems) > header_problems_before:
        return None  # the rows cannot be read reliably under this header
    rows = []
    width, named = len(records[0][1]), set(positions.values())
    unnamed = [i for i in range(width) if i not in named]
    for number, cells in records[1:]:
        if len(cells) > width or any(cells[i].strip() for i in unnamed if i < len(cells)):
            problems += [_located(name, e) for e in stray_cell_errors(number, cells, named)]
        values = {}
        for column, index in positions.items():
            value = unguard(cells[index].strip()) if index < len(cells) else ""
            if value or column in known:
                values[column] = value
        rows.append((number, values))
    return rows


def _located(name: str, error: RowError) -> str:
    return f"{name}, {str(error)[:1].lower()}{str(error)[1:]}" if error.row else f"{name}: {error}"


def write_csv_zip(graph: Graph) -> bytes:
    """entities.csv and links.csv in one ZIP file, for a download: each UTF-8 with a byte order
    mark, so Excel opens it as UTF-8."""
    entities_text, links_text = write_csv(graph)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(ENTITIES_CSV, entities_text.encode("utf-8-sig"))
        archive.writestr(LINKS_CSV, links_text.encode("utf-8-sig"))
    return out.getvalue()


def read_csv_zip(
    source: str | os.PathLike | IO[bytes] | bytes,
    *,
    name: str | None = None,
    max_bytes: int = MAX_UNZIPPED_BYTES,
) -> Graph:
    """The network in a ZIP file holding one entities.csv and one links.csv (in any folder of
    it, names in any case), read as `read_csv` reads the pair; refused unopened if the two would
    unzip to more than `max_bytes`."""
    name = name or _name_of(source, "network.zip")
    try:
        if isinstance(source, str | os.PathLike):
            data = Path(source).read_bytes()
        else:
            data = source if isinstance(source, bytes) else source.read()
        archive = zipfile.ZipFile(io.BytesIO(data))
    except OSError as exc:
        raise NetworkFileError(
            [f"{name}: the file cannot be opened ({exc.strerror or exc})"]
        ) from exc
    except zipfile.BadZipFile as exc:
        raise NetworkFileError([f"{name}: this is not a ZIP file"]) from exc
    with archive:
        found = [
            (Path(info.filename).name.lower(), info)
            for info in archive.infolist()
            if not info.is_dir() and Path(info.filename).name.lower() in (ENTITIES_CSV, LINKS_CSV)
        ]
        members = dict(found)
        counts = [member for member, _ in found]
        problems = [
            f"{name}: the ZIP file has no {f}"
            if f not in members
            else f"{name}: the ZIP file has more than one {f}"
            for f in (ENTITIES_CSV, LINKS_CSV)
            if counts.count(f) != 1
        ]
        if problems:
            raise NetworkFileError(problems)
        size = sum(info.file_size for info in members.values())
        if size > max_bytes:
            raise NetworkFileError(
                [
                    f"{name}: entities.csv and links.csv are too big to import "
                    f"({size:,} bytes unzipped; the most is {max_bytes:,})"
                ]
            )
        files = {}
        for member, info in members.items():
            with archive.open(info) as f:
                # Read no more than the size the archive declares: a file that lies is cut off
                # and refused, not unzipped without end.
                files[member] = f.read(info.file_size + 1)
            if len(files[member]) > info.file_size:
                raise NetworkFileError([f"{name}: {member} is not the size the ZIP file says"])
    return read_csv(
        files[ENTITIES_CSV],
        files[LINKS_CSV],
        entities_name=f"{name}: {ENTITIES_CSV}",
        links_name=f"{name}: {LINKS_CSV}",
    )
