"""Geography for analytics: LSOA (2011 and 2021) -> ward -> local authority, population, IMD.

Kept in the analytics store as small Parquet tables that DuckDB joins to crime rows
(`DATA_DIR/crime/geography/`), in two layers:

- `gm/`: Greater Manchester, from the extract shipped in `safehold/geography/data/gm/` (2022
  wards, Census 2021 population, IMD 2019 deciles carried to 2021 LSOAs). Loaded on first use
  or by `safehold geography load-gm`.
- `ew/`: England and Wales, built from ONS files given to `safehold geography load FILES…`,
  each recognised by its header (safehold/geography/ons.py). Where both layers know an LSOA,
  Greater Manchester's wins (safehold/geography/combined.py joins them).

The relational models beside this (wards and LSOAs for casework, models.py) are the same
app's ORM layer: one geography app, two stores (ADR 0031).
"""
# ruff: noqa: S608 -- SQL here is built from constants and quoted header names; paths are quoted.

import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb

from safehold.analytics.store import connect, lock, run, scalar, sql_string, store_root
from safehold.geography.boundaries import BOUNDARIES_FILE, write_projected_boundaries

GM_DIR = Path(__file__).resolve().parent / "data" / "gm"
GM_CODE, GM_NAME = "E47000001", "Greater Manchester"
GM_LADS = tuple(f"E080000{n:02d}" for n in range(1, 11))
EW_CODE, EW_NAME = "K04000001", "England and Wales"
ENGLAND_CODE, WALES_CODE = "E92000001", "W92000004"
IMD_LSOAS = 32_844  # English LSOAs ranked by the IMD 2019

# The normalised tables every layer has, and their columns (empty layers still have them).
TABLES: dict[str, dict[str, str]] = {
    "lsoa21": {
        "lsoa21_code": "VARCHAR", "lsoa21_name": "VARCHAR", "ward_code": "VARCHAR",
        "ward_name": "VARCHAR", "ward_year": "INTEGER", "lad_code": "VARCHAR",
        "lad_name": "VARCHAR", "force": "VARCHAR", "population": "INTEGER",
        "imd2019_rank": "INTEGER", "imd2019_decile": "INTEGER",
    },
    "lsoa_codes": {"code": "VARCHAR", "year": "INTEGER", "lsoa21_code": "VARCHAR"},
    "wards": {
        "ward_code": "VARCHAR", "ward_name": "VARCHAR", "ward_year": "INTEGER",
        "lad_code": "VARCHAR", "population_mid2017": "INTEGER",
    },
    "lsoa11_centroids": {"lsoa11_code": "VARCHAR", "easting": "DOUBLE", "northing": "DOUBLE"},
}  # fmt: skip


def geography_dir(root: Path | None = None) -> Path:
    return (root or store_root()) / "geography"


def _columns_sql(columns: dict[str, str]) -> str:
    return ", ".join(f"NULL::{t} AS {c}" for c, t in columns.items())


def write_layer(con: duckdb.DuckDBPyConnection, target: Path, tables: dict[str, str]) -> None:
    """Write each table (a SELECT over `con`) as Parquet into `target`, replacing it atomically."""
    temp = target.parent / f".{target.name}-{uuid.uuid4().hex}"
    temp.mkdir(parents=True)
    try:
        for name, select in tables.items():
            wanted = ", ".join(TABLES[name]) if name in TABLES else "*"
            run(
                con,
                f"COPY (SELECT {wanted} FROM ({select})) TO {sql_string(temp / f'{name}.parquet')} "
                "(FORMAT parquet, COMPRESSION zstd)",
            )
        swap_folder(temp, target)
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def swap_folder(new: Path, target: Path) -> None:
    """Put the folder `new` in place of `target`: readers see the old tables or the new ones."""
    old = target.parent / f".{target.name}-old-{uuid.uuid4().hex}"
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)


# --- Greater Manchester ------------------------------------------------------------------------


@dataclass(frozen=True)
class LayerSummary:
    """What a geography layer holds, for the command line to report."""

    lsoas_2021: int
    lsoa_codes: int  # 2021 codes and the 2011 codes that map to them
    wards: int
    local_authorities: int
    with_population: int
    with_imd: int
    centroids: int


def load_gm(root: Path | None = None, source: Path = GM_DIR) -> LayerSummary:
    """Load (or refresh) the Greater Manchester layer from the shipped extract; idempotent."""
    con = connect()
    lsoa21 = sql_string(source / "lsoa21.csv")
    lsoa11 = sql_string(source / "lsoa11.csv")
    wards = sql_string(source / "wards.csv")
    run(
        con,
        f"""CREATE TABLE lsoa21 AS SELECT lsoa21_code, lsoa21_name, ward_code, ward_name,
            2022 AS ward_year, lad_code, lad_name, 'greater-manchester' AS force,
            population_2021 AS population, imd2019_rank, imd2019_decile
        FROM read_csv({lsoa21}, all_varchar=false, types={{'population_2021': 'INTEGER',
            'imd2019_rank': 'INTEGER', 'imd2019_decile': 'INTEGER'}})""",
    )
    run(
        con,
        f"""CREATE TABLE lsoa_codes AS
        SELECT lsoa21_code AS code, 2021 AS year, lsoa21_code FROM lsoa21
        UNION ALL
        SELECT lsoa11_code, 2011, lsoa21_code FROM read_csv({lsoa11}, all_varchar=true)
        WHERE lsoa11_code NOT IN (SELECT lsoa21_code FROM lsoa21)""",
    )
    run(
        con,
        f"""CREATE TABLE wards AS SELECT ward_code, ward_name, 2022 AS ward_year, lad_code,
            population_mid2017
        FROM read_csv({wards}, types={{'population_mid2017': 'INTEGER'}})""",
    )
    empty = _columns_sql(TABLES["lsoa11_centroids"])
    write_layer(
        con,
        geography_dir(root) / "gm",
        {
            "lsoa21": "SELECT * FROM lsoa21",
            "lsoa_codes": "SELECT * FROM lsoa_codes",
            "wards": "SELECT * FROM wards",
            "lsoa11_centroids": f"SELECT {empty} WHERE false",
        },
    )
    write_projected_boundaries(geography_dir(root) / "gm" / BOUNDARIES_FILE)
    return layer_summary(root, "gm")


def ensure_loaded(root: Path | None = None) -> None:
    """Greater Manchester is always there: load it the first time the store is used."""
    if (geography_dir(root) / "gm" / "lsoa21.parquet").exists():
        return
    with lock(root or store_root()):  # concurrent first uses load it once
        if not (geography_dir(root) / "gm" / "lsoa21.parquet").exists():
            load_gm(root)


def layer_summary(root: Path | None, layer: str) -> LayerSummary:
    folder = geography_dir(root) / layer
    con = connect()

    def count(table: str, select: str) -> int:
        path = folder / f"{table}.parquet"
        if not path.exists():
            return 0
        return scalar(con, f"SELECT {select} FROM read_parquet({sql_string(path)})")

    return LayerSummary(
        lsoas_2021=count("lsoa21", "count(*)"),
        lsoa_codes=count("lsoa_codes", "count(*)"),
        wards=count("lsoa21", "count(DISTINCT ward_code)"),
        local_authorities=count("lsoa21", "count(DISTINCT lad_code)"),
        with_population=count("lsoa21", "count(population)"),
        with_imd=count("lsoa21", "count(imd2019_decile)"),
        centroids=count("lsoa11_centroids", "count(*)"),
    )
