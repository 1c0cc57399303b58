"""A DuckDB connection over the analytics store: crime rows as views over the Parquet files,
geography as small in-memory tables joined to them.

Views: `street`, `outcomes`, `stop_and_search` (each row plus its `kind`, `force` and `month`),
and `crimes` (street rows with the 2021 LSOA, ward and local authority they fall in).
Views over the combined geography (`geography/combined/*.parquet`): `lsoa21`, `lsoa_codes` (2011 and 2021 codes -> 2021 LSOA), `wards`,
`local_authorities` and `areas` (every area code with its level, name and population).
"""

# ruff: noqa: S608 -- SQL here is built from constants; paths are quoted.

import os
import shutil
import uuid
from pathlib import Path

import duckdb

from safehold.crime import geography
from safehold.crime.geography import (
    ENGLAND_CODE,
    EW_CODE,
    EW_NAME,
    GM_CODE,
    GM_LADS,
    GM_NAME,
    TABLES,
    WALES_CODE,
)
from safehold.crime.ingest.convert import TYPES, stored_name
from safehold.crime.ingest.files import COLUMNS
from safehold.crime.store import (
    duckdb_config,
    has_partitions,
    kind_glob,
    run,
    sql_string,
    store_root,
    writer_lock,
)

VIEW_OF_KIND = {"street": "street", "outcomes": "outcomes", "stop-and-search": "stop_and_search"}


def _empty_kind(kind: str) -> str:
    columns = [
        f"NULL::{TYPES.get(c, 'VARCHAR')} AS {stored_name(c)}"
        for c in COLUMNS[kind]
        if c != "Month"
    ]
    columns += [
        "NULL::VARCHAR AS placed_lsoa_code",
        "NULL::VARCHAR AS force",
        "NULL::VARCHAR AS kind",
        "NULL::VARCHAR AS month",
    ]
    return f"SELECT {', '.join(columns)} WHERE false"


def _layer_table(root: Path, name: str) -> str:
    """The GM layer's table, then England and Wales' rows for what GM does not hold."""
    key = {"lsoa21": "lsoa21_code", "lsoa_codes": "code", "wards": "ward_code"}.get(name)
    folder = geography.geography_dir(root)
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
    folder = geography.geography_dir(root)
    combined = folder / "combined"
    stamp = " ".join(
        f"{layer}:{(folder / layer).stat().st_mtime_ns}"
        for layer in ("gm", "ew")
        if (folder / layer).exists()
    )
    stamp_file = combined / "built-from.txt"
    if stamp_file.exists() and stamp_file.read_text() == stamp:
        return combined
    with writer_lock(root):  # one process builds it; the others wait, then find it built
        if not (stamp_file.exists() and stamp_file.read_text() == stamp):
            _build_combined(root, folder, combined, stamp)
    return combined


def _build_combined(root: Path, folder: Path, combined: Path, stamp: str) -> None:
    con = duckdb.connect(config=duckdb_config())
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
        old = folder / f".combined-old-{uuid.uuid4().hex}"
        if combined.exists():
            os.replace(combined, old)
        os.replace(temp, combined)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def connect(root: Path | None = None) -> duckdb.DuckDBPyConnection:
    """Open an in-memory DuckDB over the store (loading the GM geography the first time)."""
    root = root or store_root()
    geography.ensure_loaded(root)
    combined = combined_geography(root)
    con = duckdb.connect(config=duckdb_config())
    for kind, view in VIEW_OF_KIND.items():
        if has_partitions(root, kind):
            source = (
                f"SELECT * FROM read_parquet({sql_string(kind_glob(root, kind))}, "
                "hive_partitioning=true, union_by_name=true, "
                "hive_types={'kind': 'VARCHAR', 'force': 'VARCHAR', 'month': 'VARCHAR'})"
            )
        else:
            source = _empty_kind(kind)
        run(con, f"CREATE VIEW {view} AS {source}")
    for name in COMBINED:
        path = sql_string(combined / f"{name}.parquet")
        run(con, f"CREATE VIEW {name} AS SELECT * FROM read_parquet({path})")
    run(
        con,
        """CREATE VIEW crimes AS
            SELECT s.*, coalesce(m.lsoa21_code, s.lsoa_code, s.placed_lsoa_code) AS lsoa21_code,
                g.lsoa21_name, g.ward_code, g.ward_name, g.lad_code, g.lad_name
            FROM street s
            LEFT JOIN lsoa_codes m ON m.code = coalesce(s.lsoa_code, s.placed_lsoa_code)
            LEFT JOIN lsoa21 g ON g.lsoa21_code = m.lsoa21_code""",
    )
    return con
