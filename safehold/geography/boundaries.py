"""The generalised Greater Manchester LSOA 2021 boundaries shipped with Safehold
(`data/gm/lsoa21_boundaries.geojson`, WGS84), and their projection to British National Grid
metres kept beside the geography layer so that placing points need not parse the GeoJSON.

Imports nothing else of the app: the layers (which write the projection when they load) and
placement (which reads it) both build on it, with no cycle between them.
"""

import json
import os
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import shapely
from pyproj import Transformer
from shapely.geometry import shape

GM_BOUNDARIES = Path(__file__).resolve().parent / "data" / "gm" / "lsoa21_boundaries.geojson"
BOUNDARIES_FILE = "lsoa21_boundaries_bng.parquet"
TO_BNG = Transformer.from_crs(4326, 27700, always_xy=True)


def boundaries_geojson() -> dict:
    """The generalised Greater Manchester LSOA 2021 boundaries shipped with Safehold (WGS84)."""
    return json.loads(GM_BOUNDARIES.read_text(encoding="utf-8"))


def shipped_in_metres() -> tuple[list[str], np.ndarray]:
    """The GM LSOA 2021 boundaries in BNG metres, projected from the shipped GeoJSON."""
    features = boundaries_geojson()["features"]
    codes = [f["properties"]["area_code"] for f in features]
    shapes = np.array([shape(f["geometry"]) for f in features], dtype=object)
    in_metres = shapely.transform(
        shapes, lambda xy: np.column_stack(TO_BNG.transform(xy[:, 0], xy[:, 1]))
    )
    return codes, in_metres


def write_projected_boundaries(path: Path) -> None:
    """Keep the projected boundaries beside the geography (WKB in Parquet), so that placing
    points does not parse and project the GeoJSON every time."""
    codes, shapes = shipped_in_metres()
    temp = path.with_name(f".{path.name}.tmp")
    pq.write_table(pa.table({"code": codes, "wkb": shapely.to_wkb(shapes)}), temp)
    os.replace(temp, path)
