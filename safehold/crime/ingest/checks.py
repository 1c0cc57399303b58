"""The checks and placement a police.uk run does on its converted files, before the swap:
rows fall within the force their file is named after, and rows without an LSOA get the one
their coordinates fall in."""

# ruff: noqa: S608 -- SQL is built from fixed column names; paths are quoted.

import uuid
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from safehold.crime.forces import slug_of
from safehold.crime.ingest.convert import Converted, rewrite_with_placements
from safehold.crime.ingest.files import ImportRefused
from safehold.crime.store import Partition, run, sql_string
from safehold.geography import placement


def files_of(converted: list[Converted], kinds: Sequence[str]) -> list[str]:
    return [str(c.parquet) for c in converted if c.source.partition.kind in kinds]


def check_forces(con, converted: list[Converted]) -> None:
    """Street and outcomes rows say which force's area they fall within: it must be the force
    the file is named after."""
    files = files_of(converted, ("street", "outcomes"))
    if not files:
        return
    found = dict(
        run(
            con,
            f"""SELECT filename, list(DISTINCT falls_within) FILTER (WHERE falls_within IS NOT NULL)
            FROM read_parquet({sql_list(files)}, filename=true) GROUP BY filename""",
        )
    )
    errors = []
    for c in converted:
        names = found.get(str(c.parquet)) or []
        wrong = sorted(n for n in names if slug_of(n) != c.source.partition.force)
        if wrong:
            errors.append(
                f"{c.source.label}: rows fall within {', '.join(wrong)}, not the force "
                f"“{c.source.partition.force}” its name says"
            )
    if errors:
        raise ImportRefused(errors)


def sql_list(files: Sequence[str]) -> str:
    return "[" + ", ".join(sql_string(f) for f in files) + "]"


NO_LSOA = {
    "street": "lsoa_code IS NULL",
    "outcomes": "lsoa_code IS NULL",
    "stop-and-search": "true",  # stop-and-search rows have coordinates and no LSOA
}


def place(
    con, converted: list[Converted], root: Path, stage: Path, run_id: uuid.UUID
) -> dict[Partition, tuple[int, int]]:
    """Give rows without an LSOA the one their coordinates fall in, where that can be found.
    Returns (placed, unplaced) for each file."""
    by_kind = {k: f for k in NO_LSOA if (f := files_of(converted, (k,)))}
    points = con.sql(
        " UNION ".join(
            f"SELECT DISTINCT longitude, latitude FROM read_parquet({sql_list(files)}) "
            f"WHERE {NO_LSOA[kind]} AND longitude IS NOT NULL AND latitude IS NOT NULL"
            for kind, files in by_kind.items()
        )
    ).to_arrow_table()
    if points.num_rows:
        longitude = points.column("longitude").to_numpy()
        latitude = points.column("latitude").to_numpy()
        found = placement.placer(root).place(longitude, latitude)
        if found.unplaced < points.num_rows:
            # A Parquet file, not con.register: registering Arrow data imports pandas (0.2 s).
            table = pa.table(
                {
                    "longitude": longitude,
                    "latitude": latitude,
                    "code": pa.array(found.codes, pa.string()),
                }
            )
            placements = stage / "placements.parquet"
            pq.write_table(table, placements)
            needing = {
                filename
                for kind, files in by_kind.items()
                for (filename,) in run(
                    con,
                    f"SELECT DISTINCT filename FROM read_parquet({sql_list(files)}, filename=true) "
                    f"WHERE {NO_LSOA[kind]} AND longitude IS NOT NULL",
                )
            }
            for c in converted:
                if str(c.parquet) in needing:
                    rewrite_with_placements(
                        con,
                        c.parquet,
                        c.source.partition.kind,
                        f"read_parquet({sql_string(placements)})",
                        run_id,
                    )
    counts: dict[Partition, tuple[int, int]] = {}
    for kind, files in by_kind.items():
        rows = run(
            con,
            f"""SELECT filename, count(placed_lsoa_code),
                count(*) FILTER (WHERE {NO_LSOA[kind]} AND placed_lsoa_code IS NULL)
            FROM read_parquet({sql_list(files)}, filename=true) GROUP BY filename""",
        )
        by_file = {f: (placed, unplaced) for f, placed, unplaced in rows}
        for c in converted:
            if c.source.partition.kind == kind:
                counts[c.source.partition] = by_file.get(str(c.parquet), (0, 0))
    return counts
