"""England and Wales geography from ONS files: each file recognised by its header, the
layer (`DATA_DIR/crime/geography/ew/`) rebuilt from every kind of file loaded so far."""
# ruff: noqa: S608 -- SQL here is built from constants and quoted header names; paths are quoted.

import csv
import json
import os
import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
from pyproj import Transformer

from safehold.analytics.store import connect, run, scalar, sql_string
from safehold.geography.layers import (
    IMD_LSOAS,
    LayerSummary,
    geography_dir,
    layer_summary,
    write_layer,
)


class GeographyFileRefused(ValueError):
    """A file given to `geography load` that is not one of the ONS shapes Safehold knows."""


@dataclass(frozen=True)
class Shape:
    """An ONS file Safehold understands: the columns that identify it and what it holds."""

    key: str
    description: str
    matches: Callable[[list[str]], dict[str, str] | None]


def _find(header: list[str], *patterns: str) -> dict[str, str] | None:
    """Map each pattern (a regular expression, case-insensitive) to the header column it
    matches in full; None unless every pattern matches one column."""
    found = {}
    for pattern in patterns:
        hits = [h for h in header if re.fullmatch(pattern, h.strip(), re.IGNORECASE)]
        if not hits:
            return None
        found[pattern] = hits[0]
    return found


def _shape(key: str, description: str, *patterns: str) -> Shape:
    return Shape(key, description, lambda header: _find(header, *patterns))


LSOA11CD, LSOA11NM, LSOA21CD, LSOA21NM = "LSOA11CD", "LSOA11NM", "LSOA21CD", "LSOA21NM"
LADCD, LADNM, WDCD, WDNM = r"LAD\d\dCD", r"LAD\d\dNM", r"WD\d\dCD", r"WD\d\dNM"
GEO_CODE, GEO_NAME, RESIDENTS = (
    "geography code",
    "geography",
    "Residence type: Total; measures: Value",
)
IMD_LSOA = r"LSOA code \(2011\)"
IMD_RANK = r"Index of Multiple Deprivation \(IMD\) Rank"
IMD_DECILE = r"Index of Multiple Deprivation \(IMD\) Decile"


SHAPES = (
    _shape(
        "lsoa11_lsoa21",
        "LSOA 2011 to LSOA 2021 to local authority best-fit lookup (ONS)",
        LSOA11CD, LSOA11NM, LSOA21CD, LSOA21NM, LADCD, LADNM,
    ),
    _shape(
        "lsoa11_ward",
        "LSOA 2011 to ward to local authority lookup (ONS)",
        LSOA11CD, WDCD, WDNM, LADCD, LADNM,
    ),
    _shape(
        "lsoa21_ward",
        "LSOA 2021 to ward to local authority best-fit lookup",
        LSOA21CD, WDCD, WDNM, LADCD, LADNM,
    ),
    _shape(
        "census2021_population",
        "Census 2021 usual residents by LSOA 2021 (TS001)",
        GEO_NAME, GEO_CODE, RESIDENTS,
    ),
    _shape(
        "imd2019",
        "English Indices of Deprivation 2019, IMD rank and decile by LSOA 2011 (File 1)",
        IMD_LSOA, IMD_RANK, IMD_DECILE,
    ),
    _shape(
        "lsoa11_centroids",
        "LSOA 2011 population-weighted centroids (ONS)",
        "X", "Y", LSOA11CD,
    ),
)  # fmt: skip
MID2017 = "population_mid2017"
MID2017_DESCRIPTION = "ONS mid-2017 population estimates by area code (JSON)"
KNOWN = [s.description for s in SHAPES] + [MID2017_DESCRIPTION]


@dataclass(frozen=True)
class RecognisedFile:
    path: Path
    key: str
    description: str
    rows: int = 0


def _header(path: Path) -> list[str]:
    with open(path, newline="", encoding="utf-8-sig") as f:
        return next(csv.reader(f), [])


def recognise(path: Path) -> tuple[Shape | None, dict[str, str] | None]:
    """Which ONS shape a file is, by its header (or, for JSON, its structure)."""
    if path.suffix.lower() == ".json":
        with open(path, encoding="utf-8") as f:
            start = f.read(4096)
        if re.match(r'\s*\{\s*"[EWSKN]\d{8}"\s*:\s*\{\s*"population"', start):
            return Shape(MID2017, MID2017_DESCRIPTION, lambda h: {}), {}
        return None, None
    try:
        header = _header(path)
    except (UnicodeDecodeError, csv.Error):
        return None, None
    for shape in SHAPES:
        columns = shape.matches(header)
        if columns is not None:
            return shape, columns
    return None, None


def _read_source(con, shape: Shape, columns: dict[str, str], path: Path) -> str:
    """A SELECT giving the file's rows in Safehold's names (one table per shape)."""
    src = f"read_csv({sql_string(path)}, all_varchar=true, header=true)"

    def col(pattern: str) -> str:
        return '"' + columns[pattern].replace('"', '""') + '"'

    def year(pattern: str) -> int:
        return 2000 + int(re.search(r"\d\d", columns[pattern]).group())

    match shape.key:
        case "lsoa11_lsoa21":
            return (
                f"SELECT DISTINCT {col(LSOA11CD)} AS lsoa11_code, {col(LSOA11NM)} AS lsoa11_name, "
                f"{col(LSOA21CD)} AS lsoa21_code, {col(LSOA21NM)} AS lsoa21_name, "
                f"{col(LADCD)} AS lad_code, {col(LADNM)} AS lad_name FROM {src}"
            )
        case "lsoa11_ward" | "lsoa21_ward":
            lsoa = LSOA11CD if shape.key == "lsoa11_ward" else LSOA21CD
            return (
                f"SELECT DISTINCT {col(lsoa)} AS lsoa_code, {col(WDCD)} AS ward_code, "
                f"{col(WDNM)} AS ward_name, {year(WDCD)} AS ward_year, "
                f"{col(LADCD)} AS lad_code, {col(LADNM)} AS lad_name FROM {src}"
            )
        case "census2021_population":
            return (
                f"SELECT {col(GEO_CODE)} AS lsoa21_code, {col(GEO_NAME)} AS lsoa21_name, "
                f"CAST(replace({col(RESIDENTS)}, ',', '') AS INTEGER) AS population "
                f"FROM {src} WHERE regexp_matches({col(GEO_CODE)}, '^[EW]01')"
            )
        case "imd2019":
            return (
                f"SELECT {col(IMD_LSOA)} AS lsoa11_code, "
                f"CAST({col(IMD_RANK)} AS INTEGER) AS imd2019_rank, "
                f"CAST({col(IMD_DECILE)} AS INTEGER) AS imd2019_decile FROM {src}"
            )
        case "lsoa11_centroids":
            table = con.sql(
                f"SELECT {col(LSOA11CD)} AS lsoa11_code, CAST({col('X')} AS DOUBLE) AS x, "
                f"CAST({col('Y')} AS DOUBLE) AS y FROM {src}"
            ).to_arrow_table()
            return _centroids_in_metres(con, table)
    raise AssertionError(shape.key)


def _centroids_in_metres(con, table: pa.Table) -> str:
    """ONS publishes centroids in British National Grid metres; some copies carry longitude and
    latitude in the X and Y columns instead. Either way they are stored in BNG metres."""
    x = table.column("x").to_numpy()
    y = table.column("y").to_numpy()
    if len(x) and abs(x).max() <= 180 and abs(y).max() <= 90:
        x, y = Transformer.from_crs(4326, 27700, always_xy=True).transform(x, y)
    metres = pa.table({"lsoa11_code": table.column("lsoa11_code"), "easting": x, "northing": y})
    name = f"centroids_{uuid.uuid4().hex}"
    con.register(name, metres)
    return f"SELECT * FROM {name}"


def _mid2017(con, path: Path) -> str:
    data = json.loads(path.read_text(encoding="utf-8"))
    table = pa.table(
        {
            "code": list(data),
            "population": [int(v["population"]) for v in data.values()],
        }
    )
    name = f"mid2017_{uuid.uuid4().hex}"
    con.register(name, table)
    return f"SELECT * FROM {name}"


def load_files(paths: Sequence[Path], root: Path | None = None) -> list[RecognisedFile]:
    """Load ONS lookups into the England and Wales layer; every file is recognised first.

    A file of a shape Safehold does not know refuses the whole load, naming the file and the
    shapes it knows. Each kind of file replaces the one loaded before it, then the layer is
    rebuilt from every kind loaded so far.
    """
    recognised = []
    for path in paths:
        shape, columns = recognise(Path(path))
        if shape is None:
            raise GeographyFileRefused(
                f"{path}: not a geography file Safehold knows. It reads: " + "; ".join(KNOWN)
            )
        recognised.append((Path(path), shape, columns))
    keys = [shape.key for _, shape, _ in recognised]
    for key in set(keys):
        if keys.count(key) > 1:
            twice = [str(p) for p, s, _ in recognised if s.key == key]
            raise GeographyFileRefused(f"two files of the same kind: {', '.join(twice)}")
    raw = geography_dir(root) / "ew-sources"
    raw.mkdir(parents=True, exist_ok=True)
    con = connect()
    loaded = []
    for path, shape, columns in recognised:
        select = (
            _mid2017(con, path) if shape.key == MID2017 else _read_source(con, shape, columns, path)
        )
        target = raw / f"{shape.key}.parquet"
        temp = raw / f".{shape.key}-{uuid.uuid4().hex}.parquet"
        try:
            run(con, f"COPY ({select}) TO {sql_string(temp)} (FORMAT parquet)")
            rows = scalar(con, f"SELECT count(*) FROM read_parquet({sql_string(temp)})")
            os.replace(temp, target)
        finally:
            temp.unlink(missing_ok=True)
        loaded.append(RecognisedFile(path, shape.key, shape.description, rows))
    rebuild_ew(root)
    return loaded


_EMPTY_SOURCES = {
    "lsoa11_lsoa21": "lsoa11_code VARCHAR, lsoa11_name VARCHAR, lsoa21_code VARCHAR, lsoa21_name VARCHAR, lad_code VARCHAR, lad_name VARCHAR",
    "lsoa11_ward": "lsoa_code VARCHAR, ward_code VARCHAR, ward_name VARCHAR, ward_year INTEGER, lad_code VARCHAR, lad_name VARCHAR",
    "lsoa21_ward": "lsoa_code VARCHAR, ward_code VARCHAR, ward_name VARCHAR, ward_year INTEGER, lad_code VARCHAR, lad_name VARCHAR",
    "census2021_population": "lsoa21_code VARCHAR, lsoa21_name VARCHAR, population INTEGER",
    "imd2019": "lsoa11_code VARCHAR, imd2019_rank INTEGER, imd2019_decile INTEGER",
    "lsoa11_centroids": "lsoa11_code VARCHAR, easting DOUBLE, northing DOUBLE",
    MID2017: "code VARCHAR, population INTEGER",
}


def rebuild_ew(root: Path | None = None) -> LayerSummary:
    """Combine the ONS files loaded so far into the England and Wales layer's tables."""
    raw = geography_dir(root) / "ew-sources"
    con = connect()
    for key, columns in _EMPTY_SOURCES.items():
        path = raw / f"{key}.parquet"
        if path.exists():
            run(con, f"CREATE TABLE src_{key} AS SELECT * FROM read_parquet({sql_string(path)})")
        else:
            run(con, f"CREATE TABLE src_{key} ({columns})")
    run(con, _EW_SQL)
    write_layer(
        con,
        geography_dir(root) / "ew",
        {
            "lsoa21": "SELECT * FROM ew_lsoa21",
            "lsoa_codes": "SELECT * FROM ew_lsoa_codes",
            "wards": "SELECT * FROM ew_wards",
            "lsoa11_centroids": "SELECT * FROM src_lsoa11_centroids",
        },
    )
    return layer_summary(root, "ew")


# How the England and Wales tables come from the sources (any of which may be empty):
# - 2021 LSOAs are those of the census, the best-fit lookup and any LSOA 2021 -> ward lookup;
# - a 2021 LSOA's local authority comes from a lookup naming it, else from its name (ONS names
#   an LSOA "<local authority> <MSOA number><letter>");
# - its ward from an LSOA 2021 -> ward lookup, else from the wards of the 2011 LSOAs that best
#   fit it (the most common one);
# - IMD 2019 (by 2011 LSOA) is carried to the 2021 LSOA the 2011 one best fits: one 2011 LSOA,
#   its rank and decile; several (a merge), their mean rank and that rank's decile.
_EW_SQL = f"""
CREATE TABLE ew_names AS
    SELECT lsoa21_code, any_value(lsoa21_name) AS lsoa21_name FROM src_lsoa11_lsoa21 GROUP BY 1;
CREATE TABLE ew_lad_names AS
    SELECT lad_code, any_value(lad_name) AS lad_name FROM (
        SELECT lad_code, lad_name FROM src_lsoa11_lsoa21
        UNION ALL SELECT lad_code, lad_name FROM src_lsoa11_ward
        UNION ALL SELECT lad_code, lad_name FROM src_lsoa21_ward) GROUP BY 1;
CREATE TABLE ew_codes21 AS
    SELECT DISTINCT lsoa21_code FROM (
        SELECT lsoa21_code FROM src_census2021_population
        UNION ALL SELECT lsoa21_code FROM src_lsoa11_lsoa21
        UNION ALL SELECT lsoa_code FROM src_lsoa21_ward);
CREATE TABLE ew_parents AS
    SELECT lsoa21_code, lsoa11_code FROM src_lsoa11_lsoa21
    UNION ALL
    -- without the best-fit lookup, a code that is both a 2011 and a 2021 LSOA is its own parent
    SELECT lsoa21_code, lsoa21_code FROM ew_codes21
    WHERE (SELECT count(*) FROM src_lsoa11_lsoa21) = 0;
CREATE TABLE ew_parent_ward AS
    SELECT lsoa21_code, first(ward_code ORDER BY n DESC, ward_code) AS ward_code FROM (
        SELECT p.lsoa21_code, w.ward_code, count(*) AS n
        FROM ew_parents p JOIN src_lsoa11_ward w ON w.lsoa_code = p.lsoa11_code GROUP BY ALL)
    GROUP BY 1;
CREATE TABLE ew_ward_names AS
    SELECT ward_code, any_value(ward_name) AS ward_name, any_value(ward_year) AS ward_year,
        any_value(lad_code) AS lad_code
    FROM (SELECT * FROM src_lsoa21_ward UNION ALL SELECT * FROM src_lsoa11_ward) GROUP BY 1;
CREATE TABLE ew_imd AS
    SELECT p.lsoa21_code, count(*) AS parents,
        CAST(round(avg(i.imd2019_rank)) AS INTEGER) AS rank, any_value(i.imd2019_decile) AS decile
    FROM ew_parents p JOIN src_imd2019 i ON i.lsoa11_code = p.lsoa11_code GROUP BY 1;
CREATE TABLE ew_lsoa21 AS
    SELECT c.lsoa21_code,
        coalesce(n.lsoa21_name, pop.lsoa21_name) AS lsoa21_name,
        coalesce(w21.ward_code, pw.ward_code) AS ward_code,
        wn.ward_name, wn.ward_year,
        coalesce(w21.lad_code, fit.lad_code, by_name.lad_code, wn.lad_code) AS lad_code,
        ln.lad_name,
        NULL::VARCHAR AS force,
        pop.population,
        imd.rank AS imd2019_rank,
        CASE WHEN imd.parents = 1 THEN imd.decile
             ELSE CAST(ceil(imd.rank * 10 / {IMD_LSOAS}) AS INTEGER) END AS imd2019_decile
    FROM ew_codes21 c
    LEFT JOIN ew_names n USING (lsoa21_code)
    LEFT JOIN src_census2021_population pop USING (lsoa21_code)
    LEFT JOIN (SELECT lsoa_code AS lsoa21_code, any_value(ward_code) AS ward_code,
                      any_value(lad_code) AS lad_code FROM src_lsoa21_ward GROUP BY 1) w21
        USING (lsoa21_code)
    LEFT JOIN (SELECT lsoa21_code, any_value(lad_code) AS lad_code FROM src_lsoa11_lsoa21
               GROUP BY 1) fit USING (lsoa21_code)
    LEFT JOIN ew_parent_ward pw USING (lsoa21_code)
    LEFT JOIN ew_ward_names wn ON wn.ward_code = coalesce(w21.ward_code, pw.ward_code)
    LEFT JOIN (SELECT lad_code, lad_name FROM ew_lad_names) by_name
        ON by_name.lad_name = regexp_replace(coalesce(n.lsoa21_name, pop.lsoa21_name), ' [0-9]{{3}}[A-Z]$', '')
    LEFT JOIN ew_lad_names ln
        ON ln.lad_code = coalesce(w21.lad_code, fit.lad_code, by_name.lad_code, wn.lad_code)
    LEFT JOIN ew_imd imd USING (lsoa21_code);
CREATE TABLE ew_lsoa_codes AS
    SELECT lsoa21_code AS code, 2021 AS year, lsoa21_code FROM ew_lsoa21
    UNION ALL
    SELECT lsoa11_code, 2011, lsoa21_code FROM src_lsoa11_lsoa21
    WHERE lsoa11_code NOT IN (SELECT lsoa21_code FROM ew_lsoa21);
CREATE TABLE ew_wards AS
    SELECT w.ward_code, w.ward_name, w.ward_year, w.lad_code, m.population AS population_mid2017
    FROM ew_ward_names w LEFT JOIN src_{MID2017} m ON m.code = w.ward_code;
"""
