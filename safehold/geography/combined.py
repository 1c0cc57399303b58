"""The two geography layers combined into the tables analyses join
(`DATA_DIR/crime/geography/combined/*.parquet`), and the views over them that every analytics
connection gets (`add_views`): `lsoa21`, `lsoa_codes` (2011 and 2021 codes -> 2021 LSOA),
`wards`, `local_authorities` and `areas` (every area code with its level, name and population).
"""

# ruff: noqa: S608 -- SQL here is built from constants; paths are quoted.

import shutil
import uuid
from pathlib import Path

import duckdb

from safehold.analytics.store import connect, lock, run, sql_string, store_root
from safehold.geography.layers import (
    ENGLAND_CODE,
    EW_CODE,
    EW_NAME,
    GM_CODE,
    GM_LADS,
    GM_NAME,
    TABLES,
    WALES_CODE,
    ensure_loaded,
    geography_dir,
    swap_folder,
)


def _layer_table(root: Path, name: str) -> str:
    """The GM layer's table, then England and Wales' rows for what GM does not hold."""
    key = {"lsoa21": "lsoa21_code", "lsoa_codes": "code", "wards": "ward_code"}.get(name)
    folder = geography_dir(root)
    gm, ew = folder / "gm" / f"{name}.parquet", folder / "ew" / f"{name}.parquet"
    empty = ", ".join(f"NULL::{t} AS {c}" for c, t in TABLES[name].items())
    parts = [f"SELECT * FROM read_parquet({sql_string(gm)})"] if gm.exists() else []
    if ew.exists():
        ew_rows = f"SELECT * FROM read_parquet({sql_string(ew)})"
        if parts and key:
            ew_rows += f" WHERE {key} NOT IN (SELECT {key} FROM read_parquet({sql_string(gm)}))"
        parts.append(ew_rows)
    return " UNION ALL BY NAME ".join(parts) or f"SELECT {empty} WHERE false"


COMBINED = ("lsoa21", "lsoa_codes", "wards", "local_authorities", "areas")


def combined_geography(root: Path) -> Path:
    """The two layers combined into the tables analyses join (`geography/combined/`), built
    again whenever a layer has changed since; building takes a fraction of a second, reading
    them at every connection takes none."""
    folder = geography_dir(root)
    combined = folder / "combined"
    stamp = " ".join(
        f"{layer}:{(folder / layer).stat().st_mtime_ns}"
        for layer in ("gm", "ew")
        if (folder / layer).exists()
    )
    stamp_file = combined / "built-from.txt"
    if stamp_file.exists() and stamp_file.read_text() == stamp:
        return combined
    with lock(root):  # one process builds it; the others wait, then find it built
        if not (stamp_file.exists() and stamp_file.read_text() == stamp):
            _build_combined(root, folder, combined, stamp)
    return combined


def _build_combined(root: Path, folder: Path, combined: Path, stamp: str) -> None:
    con = connect()
    for name in ("lsoa21", "lsoa_codes", "wards"):
        run(con, f"CREATE TABLE layer_{name} AS {_layer_table(root, name)}")
    gm_lads = ", ".join(sql_string(c) for c in GM_LADS)
    run(
        con,
        f"""
        CREATE TABLE lsoa21 AS SELECT * FROM layer_lsoa21;
        CREATE TABLE lsoa_codes AS
            SELECT code, year, lsoa21_code FROM layer_lsoa_codes
            UNION ALL  -- a 2021 LSOA always maps to itself
            SELECT lsoa21_code, 2021, lsoa21_code FROM lsoa21
            WHERE lsoa21_code NOT IN (SELECT code FROM layer_lsoa_codes);
        CREATE TABLE wards AS
            SELECT l.ward_code, any_value(l.ward_name) AS ward_name,
                any_value(l.ward_year) AS ward_year, any_value(l.lad_code) AS lad_code,
                sum(l.population) AS population,
                any_value(w.population_mid2017) AS population_mid2017
            FROM lsoa21 l LEFT JOIN layer_wards w USING (ward_code)
            WHERE l.ward_code IS NOT NULL GROUP BY l.ward_code;
        CREATE TABLE local_authorities AS
            SELECT lad_code, any_value(lad_name) AS lad_name, sum(population) AS population,
                lad_code IN ({gm_lads}) AS in_greater_manchester
            FROM lsoa21 WHERE lad_code IS NOT NULL GROUP BY lad_code;
        CREATE TABLE areas AS
            SELECT lsoa21_code AS code, 'lsoa' AS level, lsoa21_name AS name, population
            FROM lsoa21
            UNION ALL SELECT ward_code, 'ward', ward_name, population FROM wards
            UNION ALL SELECT lad_code, 'local_authority', lad_name, population
            FROM local_authorities
            UNION ALL SELECT {sql_string(GM_CODE)}, 'combined_authority', {sql_string(GM_NAME)},
                sum(population) FROM local_authorities WHERE in_greater_manchester
            UNION ALL SELECT {sql_string(ENGLAND_CODE)}, 'country', 'England', sum(population)
                FROM lsoa21 WHERE lsoa21_code LIKE 'E%'
            UNION ALL SELECT {sql_string(WALES_CODE)}, 'country', 'Wales', sum(population)
                FROM lsoa21 WHERE lsoa21_code LIKE 'W%'
            UNION ALL SELECT {sql_string(EW_CODE)}, 'country', {sql_string(EW_NAME)},
                sum(population) FROM lsoa21;
        """,
    )
    temp = folder / f".combined-{uuid.uuid4().hex}"
    temp.mkdir()
    try:
        for name in COMBINED:
            run(
                con,
                f"COPY {name} TO {sql_string(temp / f'{name}.parquet')} "
                "(FORMAT parquet, COMPRESSION zstd)",
            )
        (temp / "built-from.txt").write_text(stamp)
        swap_folder(temp, combined)
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def add_views(con: duckdb.DuckDBPyConnection, root: Path | None = None) -> None:
    """Give `con` the combined geography's views (loading Greater Manchester the first time,
    and combining the layers again if one changed)."""
    root = root or store_root()
    ensure_loaded(root)
    combined = combined_geography(root)
    for name in COMBINED:
        path = sql_string(combined / f"{name}.parquet")
        run(con, f"CREATE VIEW {name} AS SELECT * FROM read_parquet({path})")
